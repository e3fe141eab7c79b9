// Postgres through kysely: pools, database creation, migrations. Only todo-domain and tests need it.
export { createDatabase, ensureDatabaseExists, type DatabaseOptions } from "./database/database.js";
export { migrateToLatest, migrateDown, type Migrations } from "./database/migrations.js";

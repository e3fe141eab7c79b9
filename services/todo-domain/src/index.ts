// What other packages may use: the app (for in-process tests) and the databases it owns.
export { createApp, type TodoDomainApp, type TodoDomainDeps } from "./app.js";
export { openDatabases, closeDatabases, migrateDatabases, type Databases, type DatabaseUrls } from "./databases/databases.js";
export { lowestFreeNumbers } from "./todos/todo-numbering.js";
export type { SagaStep } from "./sagas/saga.types.js";
export { loadTodoDomainConfig, type TodoDomainConfig } from "./todo-domain.config.js";

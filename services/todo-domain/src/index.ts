// What other packages may use: the app as it runs (for in-process tests) and the databases it owns.
export { createApp, type TodoDomainApp, type TodoDomainDeps } from "./app.js";
export { composeTodoDomain, type TodoDomainOverrides } from "./todo-domain.composition.js";
export { openDatabases, closeDatabases, migrateDatabases, type Databases, type DatabaseUrls } from "./databases/databases.js";
export { lowestFreeNumbers } from "./todos/todo-numbering.js";
export type { SagaStep } from "./sagas/saga.types.js";
export { loadTodoDomainConfig, type TodoDomainConfig } from "./todo-domain.config.js";

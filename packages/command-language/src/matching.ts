// What todo-domain needs of the command language: reading which todo the user's words mean.
// A subpath of its own (@sms-todo/command-language/matching), so todo-domain does not load the
// parser, the LLM client or the gRPC dispatcher.
export type { ListName, TodoSelector } from "./commands/command.model.js";
export {
  findMatches,
  orderAsListed,
  resolveSelector,
  type OpenTodoRef,
  type Resolution,
  type ResolveScope,
} from "./matching/todo.resolver.js";

// The command language shared by command (texts) and transcribe (spoken commands).
export * from "./commands/command.model.js";
export {
  TODO_CALL_DEADLINE_MS,
  commandContextOf,
  dispatchCommand,
  type DispatchResult,
  type InboundSender,
  type TodoCommandClient,
  type TodoRpc,
} from "./commands/command.dispatcher.js";
export { parseCommand } from "./parsing/command.parser.js";

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
  timingsOf,
} from "./commands/command.dispatcher.js";
export { parseCommand } from "./parsing/command.parser.js";
export { normaliseListName } from "./parsing/list-name.js";
export {
  createLlmClient,
  LLM_MAX_RETRIES,
  LLM_TIMEOUT_MS,
  type LlmClient,
  type LlmClientOptions,
  type LlmConfig,
  type LlmFailure,
} from "./llm/llm.client.js";
export { deleteConfirmationHint, TIME_NOT_UNDERSTOOD_REASON } from "./parsing/command.reasons.js";
export {
  createLlmCommandMapper,
  type CommandMapping,
  type CommandMappingRequest,
  type LlmCommandMapper,
  type OpenTodo,
} from "./llm/llm-command.mapper.js";
export { createLlmItemExtractor, type LlmItemExtractorOptions, type TodoItemExtractor } from "./llm/llm-item.extractor.js";
export { interpretText, type TextInterpretation, type TextInterpreterDeps } from "./llm/text.interpreter.js";
export * from "./matching.js";

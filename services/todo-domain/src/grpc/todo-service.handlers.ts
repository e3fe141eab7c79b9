import { todo } from "@sms-todo/contracts";
import { AppError, type Logger } from "@sms-todo/shared";
import { unaryHandler } from "@sms-todo/shared/grpc-server";
import type { SagaDeps, CommandResult } from "../sagas/change.saga.js";
import {
  addTodos,
  completeTodos,
  deleteTodos,
  editTodo,
  listTodos,
  rejectMessage,
  showHelp,
  toTodoMessage,
} from "../todos/todo-commands.use-cases.js";
import { findUserByPhone } from "../users/user.repository.js";
import { listOpenTodos } from "../todos/todo.repository.js";
import {
  parseCommandContext,
  parsePhoneNumber,
  parseTodoNumbers,
  parseTodoText,
  parseTodoTexts,
} from "./command-context.parser.js";

const result = (value: CommandResult) => ({ result: { outcome: value.outcome, duplicate: value.duplicate } });

function notYet(method: string): never {
  throw new AppError("UNIMPLEMENTED", `${method} is not available yet`);
}

/** TodoService handlers: parse the request, call one use case, map the result. */
export function createTodoServiceHandlers(deps: SagaDeps, logger: Logger): todo.TodoServiceServer {
  const log = logger.child({ component: "todo-service" });
  return {
    addTodos: unaryHandler(log, "AddTodos", async (request: todo.AddTodosRequest) => {
      const source = request.source === todo.TodoSource.TODO_SOURCE_VOICE ? "voice" : "sms";
      return result(await addTodos(deps, parseCommandContext(request.context), parseTodoTexts(request.texts), source));
    }),
    completeTodos: unaryHandler(log, "CompleteTodos", async (request: todo.CompleteTodosRequest) =>
      result(await completeTodos(deps, parseCommandContext(request.context), parseTodoNumbers(request.numbers))),
    ),
    deleteTodos: unaryHandler(log, "DeleteTodos", async (request: todo.DeleteTodosRequest) =>
      result(await deleteTodos(deps, parseCommandContext(request.context), parseTodoNumbers(request.numbers))),
    ),
    editTodo: unaryHandler(log, "EditTodo", async (request: todo.EditTodoRequest) => {
      const [number] = parseTodoNumbers([request.number]);
      return result(await editTodo(deps, parseCommandContext(request.context), number!, parseTodoText(request.text)));
    }),
    listTodos: unaryHandler(log, "ListTodos", async (request: todo.ListTodosRequest) =>
      result(await listTodos(deps, parseCommandContext(request.context))),
    ),
    showHelp: unaryHandler(log, "ShowHelp", async (request: todo.ShowHelpRequest) =>
      result(await showHelp(deps, parseCommandContext(request.context))),
    ),
    rejectMessage: unaryHandler(log, "RejectMessage", async (request: todo.RejectMessageRequest) => {
      const reason = request.reason.trim();
      if (reason.length === 0 || reason.length > 320)
        throw new AppError("INVALID_ARGUMENT", "reason must have 1 to 320 characters");
      return result(await rejectMessage(deps, parseCommandContext(request.context), reason));
    }),
    getTodos: unaryHandler(log, "GetTodos", async (request: todo.GetTodosRequest) => {
      const user = await findUserByPhone(deps.databases.todo, parsePhoneNumber(request.phoneNumber));
      const rows = user ? await listOpenTodos(deps.databases.todo, user.id) : [];
      return { todos: rows.map((row) => toTodoMessage(row)) };
    }),
    nextPage: unaryHandler(log, "NextPage", async () => notYet("NextPage")),
    undo: unaryHandler(log, "Undo", async () => notYet("Undo")),
    updateSettings: unaryHandler(log, "UpdateSettings", async () => notYet("UpdateSettings")),
    setSubscription: unaryHandler(log, "SetSubscription", async () => notYet("SetSubscription")),
    recordVoiceNote: unaryHandler(log, "RecordVoiceNote", async () => notYet("RecordVoiceNote")),
  };
}

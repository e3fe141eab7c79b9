import { MAX_REPLY_LENGTH } from "@sms-todo/rules";
import { todo } from "@sms-todo/contracts";
import { AppError, type Logger } from "@sms-todo/shared";
import { unaryHandler } from "@sms-todo/shared/grpc-server";
import type { CommandDeps, CommandResult } from "../commands/command.types.js";
import { toOutcomeMessage, toTodoMessage } from "../outcomes/outcome.codec.js";
import {
  addTodos,
  completeTodos,
  deleteTodos,
  editTodo,
  findTodo,
  listTodos,
  rejectMessage,
  showHelp,
} from "../todos/todo-commands.use-cases.js";
import { getOpenTodos } from "../todos/get-todos.use-case.js";
import { requestNextPage } from "../todos/next-page.use-case.js";
import { undoLastChange } from "../todos/undo.use-case.js";
import { claimDueSummaries } from "../summaries/claim-due-summaries.use-case.js";
import { claimDueReminders } from "../reminders/claim-due-reminders.use-case.js";
import { rescheduleTodo, stopRepeating } from "../todos/todo-schedule.use-cases.js";
import { setSubscription } from "../users/set-subscription.use-case.js";
import { updateSettings } from "../users/update-settings.use-case.js";
import { recordVoiceNote } from "../voice-notes/record-voice-note.use-case.js";
import {
  parseCommandContext,
  parsePhoneNumber,
  parseTimings,
  parseTodoText,
  parseTodoTexts,
  parseWhen,
} from "./command-context.parser.js";
import { parseSettingsChange } from "./settings-change.parser.js";
import { parseClaimRequest } from "./claim-request.parser.js";
import { parseDueFilter, parseEditTarget, parseListName, parseTodoName, parseTodoTargets } from "./todo-selector.parser.js";
import { parseVoiceNote } from "./voice-note.parser.js";

const result = (value: CommandResult) => ({ result: { outcome: toOutcomeMessage(value.outcome), duplicate: value.duplicate } });

/** TodoService handlers: parse the request, call one use case, map the result. */
export function createTodoServiceHandlers(deps: CommandDeps, logger: Logger): todo.TodoServiceServer {
  const log = logger.child({ component: "todo-service" });
  return {
    addTodos: unaryHandler(log, "AddTodos", async (request: todo.AddTodosRequest) => {
      const source = request.source === todo.TodoSource.TODO_SOURCE_VOICE ? ("voice" as const) : ("sms" as const);
      const texts = parseTodoTexts(request.texts);
      const todos = { texts, timings: parseTimings(request.timings, texts.length), list: parseListName(request.list), source };
      return result(await addTodos(deps, parseCommandContext(request.context), todos));
    }),
    completeTodos: unaryHandler(log, "CompleteTodos", async (request: todo.CompleteTodosRequest) => {
      const targets = { targets: parseTodoTargets(request.numbers, request.targets), list: parseListName(request.list) };
      return result(await completeTodos(deps, parseCommandContext(request.context), targets));
    }),
    deleteTodos: unaryHandler(log, "DeleteTodos", async (request: todo.DeleteTodosRequest) => {
      const targets = { targets: parseTodoTargets(request.numbers, request.targets), list: parseListName(request.list) };
      return result(await deleteTodos(deps, parseCommandContext(request.context), targets));
    }),
    editTodo: unaryHandler(log, "EditTodo", async (request: todo.EditTodoRequest) => {
      const edit = {
        target: parseEditTarget(request.number, request.target),
        list: parseListName(request.list),
        text: parseTodoText(request.text),
      };
      return result(await editTodo(deps, parseCommandContext(request.context), edit));
    }),
    listTodos: unaryHandler(log, "ListTodos", async (request: todo.ListTodosRequest) => {
      const list = { list: parseListName(request.list), countOnly: request.countOnly, due: parseDueFilter(request.due) };
      return result(await listTodos(deps, parseCommandContext(request.context), list));
    }),
    findTodo: unaryHandler(log, "FindTodo", async (request: todo.FindTodoRequest) => {
      const find = {
        name: parseTodoName(request.name),
        list: parseListName(request.list),
        addIfMissing: request.addIfMissing,
      };
      return result(await findTodo(deps, parseCommandContext(request.context), find));
    }),
    nextPage: unaryHandler(log, "NextPage", async (request: todo.NextPageRequest) =>
      result(await requestNextPage(deps, parseCommandContext(request.context))),
    ),
    undo: unaryHandler(log, "Undo", async (request: todo.UndoRequest) =>
      result(await undoLastChange(deps, parseCommandContext(request.context))),
    ),
    showHelp: unaryHandler(log, "ShowHelp", async (request: todo.ShowHelpRequest) =>
      result(await showHelp(deps, parseCommandContext(request.context))),
    ),
    updateSettings: unaryHandler(log, "UpdateSettings", async (request: todo.UpdateSettingsRequest) =>
      result(await updateSettings(deps, parseCommandContext(request.context), parseSettingsChange(request.change))),
    ),
    setSubscription: unaryHandler(log, "SetSubscription", async (request: todo.SetSubscriptionRequest) =>
      result(await setSubscription(deps, parseCommandContext(request.context), request.subscribed)),
    ),
    rejectMessage: unaryHandler(log, "RejectMessage", async (request: todo.RejectMessageRequest) => {
      const reason = request.reason.trim();
      if (reason.length === 0 || reason.length > MAX_REPLY_LENGTH)
        throw new AppError("INVALID_ARGUMENT", `reason must have 1 to ${MAX_REPLY_LENGTH} characters`);
      return result(await rejectMessage(deps, parseCommandContext(request.context), reason));
    }),
    getTodos: unaryHandler(log, "GetTodos", async (request: todo.GetTodosRequest) => {
      const todos = await getOpenTodos(deps.databases.todo, parsePhoneNumber(request.phoneNumber));
      return { todos: todos.map(toTodoMessage) };
    }),
    recordVoiceNote: unaryHandler(log, "RecordVoiceNote", async (request: todo.RecordVoiceNoteRequest) =>
      result(await recordVoiceNote(deps, parseCommandContext(request.context), parseVoiceNote(request))),
    ),
    claimDueSummaries: unaryHandler(log, "ClaimDueSummaries", async (request: todo.ClaimDueSummariesRequest) => {
      const { asOf, limit } = parseClaimRequest(request);
      const claimed = await claimDueSummaries(deps, asOf, limit);
      return { queued: claimed.queued, empty: claimed.empty, moreDue: claimed.moreDue };
    }),
    rescheduleTodo: unaryHandler(log, "RescheduleTodo", async (request: todo.RescheduleTodoRequest) => {
      const reschedule = {
        target: parseEditTarget(0, request.target),
        list: parseListName(request.list),
        when: parseWhen(request.when),
      };
      return result(await rescheduleTodo(deps, parseCommandContext(request.context), reschedule));
    }),
    stopRepeating: unaryHandler(log, "StopRepeating", async (request: todo.StopRepeatingRequest) => {
      const stop = { target: parseEditTarget(0, request.target), list: parseListName(request.list) };
      return result(await stopRepeating(deps, parseCommandContext(request.context), stop));
    }),
    claimDueReminders: unaryHandler(log, "ClaimDueReminders", async (request: todo.ClaimDueRemindersRequest) => {
      const { asOf, limit } = parseClaimRequest(request);
      return claimDueReminders(deps, asOf, limit);
    }),
  };
}

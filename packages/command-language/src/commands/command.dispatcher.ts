import { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import { callUnary, type UnaryMethod } from "@sms-todo/shared/grpc-client";
import type { TimingWords } from "../time.js";
import type { Command, DueFilter, SettingsChange, TodoSelector } from "./command.model.js";

/** Every TodoService call has this deadline; a slower todo-domain means the delivery is retried. */
export const TODO_CALL_DEADLINE_MS = 5_000;

/** The part of todo.TodoServiceClient the dispatcher uses; the generated client satisfies it. */
export interface TodoCommandClient {
  addTodos: UnaryMethod<todo.AddTodosRequest, todo.AddTodosResponse>;
  completeTodos: UnaryMethod<todo.CompleteTodosRequest, todo.CompleteTodosResponse>;
  deleteTodos: UnaryMethod<todo.DeleteTodosRequest, todo.DeleteTodosResponse>;
  editTodo: UnaryMethod<todo.EditTodoRequest, todo.EditTodoResponse>;
  listTodos: UnaryMethod<todo.ListTodosRequest, todo.ListTodosResponse>;
  findTodo: UnaryMethod<todo.FindTodoRequest, todo.FindTodoResponse>;
  nextPage: UnaryMethod<todo.NextPageRequest, todo.NextPageResponse>;
  undo: UnaryMethod<todo.UndoRequest, todo.UndoResponse>;
  showHelp: UnaryMethod<todo.ShowHelpRequest, todo.ShowHelpResponse>;
  updateSettings: UnaryMethod<todo.UpdateSettingsRequest, todo.UpdateSettingsResponse>;
  setSubscription: UnaryMethod<todo.SetSubscriptionRequest, todo.SetSubscriptionResponse>;
  rejectMessage: UnaryMethod<todo.RejectMessageRequest, todo.RejectMessageResponse>;
  rescheduleTodo: UnaryMethod<todo.RescheduleTodoRequest, todo.RescheduleTodoResponse>;
  stopRepeating: UnaryMethod<todo.StopRepeatingRequest, todo.StopRepeatingResponse>;
}

export type TodoRpc = keyof TodoCommandClient;

export interface DispatchResult {
  rpc: TodoRpc;
  /** What todo-domain did; the reply itself reaches the user through todo-domain's events. */
  result: todo.CommandResult | undefined;
}

/** The inbound message fields a call is keyed by. */
export interface InboundSender {
  from: string;
  messageSid: string;
  /** When ingress accepted the message, epoch milliseconds; time words are read from it (0: unknown). */
  receivedAtMs?: number;
}

/**
 * One inbound message is one effect, so the MessageSid is the idempotency key: a redelivered
 * message replays the first call's outcome instead of adding the todos twice.
 */
export function commandContextOf(message: InboundSender): todo.CommandContext {
  return {
    phoneNumber: message.from,
    idempotencyKey: `sms:${message.messageSid}`,
    messageId: message.messageSid,
    receivedAtMs: message.receivedAtMs ?? 0,
  };
}

/**
 * Calls exactly one TodoService RPC for the command. Failures arrive as AppError (gRPC
 * status mapped by shared), which the consumer's broker retries or dead-letters.
 *
 * An invalid command goes to RejectMessage rather than being dropped: every accepted
 * message gets exactly one reply, and it is todo-domain's outbox that sends replies, so
 * the reason reaches the user as a Rejected outcome and no todo changes.
 */
export async function dispatchCommand(
  command: Command,
  context: todo.CommandContext,
  client: TodoCommandClient,
): Promise<DispatchResult> {
  const settings = { deadlineMs: TODO_CALL_DEADLINE_MS, correlationId: context.messageId };
  switch (command.kind) {
    case "add": {
      const request: todo.AddTodosRequest = {
        context,
        texts: [...command.texts],
        source: todo.TodoSource.TODO_SOURCE_SMS,
        list: command.list ?? "",
        timings: timingsOf(command.timings),
      };
      const response = await callUnary(client.addTodos.bind(client), request, settings);
      return { rpc: "addTodos", result: response.result };
    }
    case "complete": {
      const request: todo.CompleteTodosRequest = {
        context,
        numbers: [],
        targets: command.targets.map(selectorOf),
        list: command.list ?? "",
      };
      const response = await callUnary(client.completeTodos.bind(client), request, settings);
      return { rpc: "completeTodos", result: response.result };
    }
    case "delete": {
      const request: todo.DeleteTodosRequest = {
        context,
        numbers: [],
        targets: command.targets.map(selectorOf),
        list: command.list ?? "",
      };
      const response = await callUnary(client.deleteTodos.bind(client), request, settings);
      return { rpc: "deleteTodos", result: response.result };
    }
    case "edit": {
      const request: todo.EditTodoRequest = {
        context,
        number: 0,
        text: command.text,
        target: selectorOf(command.target),
        list: command.list ?? "",
      };
      const response = await callUnary(client.editTodo.bind(client), request, settings);
      return { rpc: "editTodo", result: response.result };
    }
    case "list": {
      const request: todo.ListTodosRequest = {
        context,
        list: command.list ?? "",
        countOnly: command.countOnly ?? false,
        due: command.due === undefined ? todo.DueFilter.DUE_FILTER_UNSPECIFIED : DUE_FILTERS[command.due],
      };
      const response = await callUnary(client.listTodos.bind(client), request, settings);
      return { rpc: "listTodos", result: response.result };
    }
    case "find": {
      const request: todo.FindTodoRequest = {
        context,
        name: command.name,
        list: command.list ?? "",
        addIfMissing: command.addIfMissing ?? false,
      };
      const response = await callUnary(client.findTodo.bind(client), request, settings);
      return { rpc: "findTodo", result: response.result };
    }
    case "reschedule": {
      const request: todo.RescheduleTodoRequest = {
        context,
        target: selectorOf(command.target),
        list: command.list ?? "",
        when: command.when,
      };
      const response = await callUnary(client.rescheduleTodo.bind(client), request, settings);
      return { rpc: "rescheduleTodo", result: response.result };
    }
    case "stop-repeating": {
      const request: todo.StopRepeatingRequest = { context, target: selectorOf(command.target), list: command.list ?? "" };
      const response = await callUnary(client.stopRepeating.bind(client), request, settings);
      return { rpc: "stopRepeating", result: response.result };
    }
    case "more": {
      const response = await callUnary(client.nextPage.bind(client), { context }, settings);
      return { rpc: "nextPage", result: response.result };
    }
    case "undo": {
      const response = await callUnary(client.undo.bind(client), { context }, settings);
      return { rpc: "undo", result: response.result };
    }
    case "settings": {
      const request: todo.UpdateSettingsRequest = { context, change: settingsChangeOf(command.change) };
      const response = await callUnary(client.updateSettings.bind(client), request, settings);
      return { rpc: "updateSettings", result: response.result };
    }
    case "subscription": {
      const request: todo.SetSubscriptionRequest = { context, subscribed: command.subscribed };
      const response = await callUnary(client.setSubscription.bind(client), request, settings);
      return { rpc: "setSubscription", result: response.result };
    }
    case "help": {
      const response = await callUnary(client.showHelp.bind(client), { context }, settings);
      return { rpc: "showHelp", result: response.result };
    }
    case "invalid": {
      const response = await callUnary(client.rejectMessage.bind(client), { context, reason: command.reason }, settings);
      return { rpc: "rejectMessage", result: response.result };
    }
    default: {
      const unhandled: never = command;
      throw new AppError("INTERNAL", `no TodoService call for command kind ${(unhandled as { kind: string }).kind}`);
    }
  }
}

const DUE_FILTERS: Record<DueFilter, todo.DueFilter> = {
  today: todo.DueFilter.DUE_FILTER_TODAY,
  week: todo.DueFilter.DUE_FILTER_WEEK,
  overdue: todo.DueFilter.DUE_FILTER_OVERDUE,
};

/** One Timing per text (an empty one for a text without words), or none at all when no text has any. */
export function timingsOf(timings: ReadonlyArray<TimingWords | undefined> | undefined): todo.Timing[] {
  if (timings === undefined || timings.every((words) => words === undefined)) return [];
  return timings.map((words) => ({ when: words?.when ?? "", every: words?.every ?? "" }));
}

function settingsChangeOf(change: SettingsChange): todo.UpdateSettingsRequest["change"] {
  if ("summaryTime" in change) return { $case: "summaryTime", value: change.summaryTime };
  if ("summaryOff" in change) return { $case: "summaryOff", value: true };
  return { $case: "timezone", value: change.timezone };
}

function selectorOf(selector: TodoSelector): todo.TodoSelector {
  switch (selector.by) {
    case "number":
      return { by: { $case: "number", value: selector.number } };
    case "name":
      return { by: { $case: "name", value: selector.name } };
    case "position":
      return { by: { $case: "position", value: selector.position } };
    case "reference":
      return { by: { $case: "reference", value: true } };
    case "all":
      return { by: { $case: "all", value: true } };
  }
}

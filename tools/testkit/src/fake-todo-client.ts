import { Metadata, status, type CallOptions, type ClientUnaryCall, type ServiceError } from "@grpc/grpc-js";
import type { TodoCommandClient, TodoRpc } from "@sms-todo/command-language";
import { todo } from "@sms-todo/contracts";
import type { UnaryMethod } from "@sms-todo/shared/grpc-client";

export interface RecordedCall {
  rpc: TodoRpc | "claimDueReminders";
  request: unknown;
  metadata: Metadata;
  options: Partial<CallOptions>;
}

/** A hand-written TodoService client for unit tests: records every call and answers it at once. */
export interface FakeTodoClient extends TodoCommandClient {
  calls: RecordedCall[];
  /** The notifier's call: no reminder is ever due. */
  claimDueReminders: UnaryMethod<todo.ClaimDueRemindersRequest, todo.ClaimDueRemindersResponse>;
}

/** Answers every call with an empty result, or with the given gRPC status code. */
export function fakeTodoClient(failWith?: status): FakeTodoClient {
  const calls: RecordedCall[] = [];
  const error = failWith === undefined ? null : serviceError(failWith);
  const method =
    <Req, Res>(rpc: RecordedCall["rpc"], response: Res) =>
    (
      request: Req,
      metadata: Metadata,
      options: Partial<CallOptions>,
      callback: (error: ServiceError | null, response: Res) => void,
    ): ClientUnaryCall => {
      calls.push({ rpc, request, metadata, options });
      callback(error, response);
      return {} as ClientUnaryCall;
    };
  const result = (outcome: todo.Outcome["kind"]) =>
    todo.CommandResult.fromPartial({ outcome: { kind: outcome }, duplicate: false });
  return {
    calls,
    addTodos: method("addTodos", { result: result({ $case: "added", value: todo.TodosAdded.fromPartial({}) }) }),
    completeTodos: method("completeTodos", {
      result: result({ $case: "completed", value: todo.TodosCompleted.fromPartial({}) }),
    }),
    deleteTodos: method("deleteTodos", { result: result({ $case: "deleted", value: todo.TodosDeleted.fromPartial({}) }) }),
    editTodo: method("editTodo", { result: result({ $case: "edited", value: todo.TodoEdited.fromPartial({}) }) }),
    listTodos: method("listTodos", { result: result({ $case: "list", value: todo.TodoList.fromPartial({}) }) }),
    findTodo: method("findTodo", { result: result({ $case: "found", value: todo.TodoFound.fromPartial({}) }) }),
    nextPage: method("nextPage", { result: result({ $case: "more", value: {} }) }),
    undo: method("undo", { result: result({ $case: "undone", value: todo.ChangeUndone.fromPartial({}) }) }),
    showHelp: method("showHelp", { result: result({ $case: "help", value: {} }) }),
    updateSettings: method("updateSettings", {
      result: result({ $case: "settings", value: todo.SettingsChanged.fromPartial({}) }),
    }),
    setSubscription: method("setSubscription", {
      result: result({ $case: "subscription", value: todo.SubscriptionChanged.fromPartial({}) }),
    }),
    rejectMessage: method("rejectMessage", { result: result({ $case: "rejected", value: todo.Rejected.fromPartial({}) }) }),
    rescheduleTodo: method("rescheduleTodo", {
      result: result({ $case: "rescheduled", value: todo.TodoRescheduled.fromPartial({}) }),
    }),
    stopRepeating: method("stopRepeating", {
      result: result({ $case: "repeatStopped", value: todo.RepeatStopped.fromPartial({}) }),
    }),
    claimDueReminders: method("claimDueReminders", todo.ClaimDueRemindersResponse.fromPartial({})),
  };
}

function serviceError(code: status): ServiceError {
  return Object.assign(new Error(`${code} from the fake`), { code, details: "from the fake", metadata: new Metadata() });
}

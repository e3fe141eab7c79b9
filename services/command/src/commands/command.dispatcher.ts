import { todo } from "@sms-todo/contracts";
import { AppError } from "@sms-todo/shared";
import { callUnary, type UnaryMethod } from "@sms-todo/shared/grpc-client";
import type { Command } from "./command.model.js";

/** Every TodoService call has this deadline; a slower todo-domain means the delivery is retried. */
export const TODO_CALL_DEADLINE_MS = 5_000;

/** The part of todo.TodoServiceClient the dispatcher uses; the generated client satisfies it. */
export interface TodoCommandClient {
  addTodos: UnaryMethod<todo.AddTodosRequest, todo.AddTodosResponse>;
  completeTodos: UnaryMethod<todo.CompleteTodosRequest, todo.CompleteTodosResponse>;
  listTodos: UnaryMethod<todo.ListTodosRequest, todo.ListTodosResponse>;
  showHelp: UnaryMethod<todo.ShowHelpRequest, todo.ShowHelpResponse>;
  rejectMessage: UnaryMethod<todo.RejectMessageRequest, todo.RejectMessageResponse>;
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
}

/**
 * One inbound message is one effect, so the MessageSid is the idempotency key: a redelivered
 * message replays the first call's outcome instead of adding the todos twice.
 */
export function commandContextOf(message: InboundSender): todo.CommandContext {
  return { phoneNumber: message.from, idempotencyKey: `sms:${message.messageSid}`, messageId: message.messageSid };
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
      const request: todo.AddTodosRequest = { context, texts: [...command.texts], source: todo.TodoSource.TODO_SOURCE_SMS };
      const response = await callUnary(client.addTodos.bind(client), request, settings);
      return { rpc: "addTodos", result: response.result };
    }
    case "complete": {
      const request: todo.CompleteTodosRequest = { context, numbers: [...command.numbers] };
      const response = await callUnary(client.completeTodos.bind(client), request, settings);
      return { rpc: "completeTodos", result: response.result };
    }
    case "list": {
      const response = await callUnary(client.listTodos.bind(client), { context }, settings);
      return { rpc: "listTodos", result: response.result };
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

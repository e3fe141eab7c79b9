import { todo } from "@sms-todo/contracts";

/** The TodoService methods that take one request message and answer with one. */
export type TodoServiceMethod =
  | "addTodos"
  | "completeTodos"
  | "editTodo"
  | "deleteTodos"
  | "listTodos"
  | "findTodo"
  | "nextPage"
  | "undo"
  | "showHelp"
  | "updateSettings"
  | "setSubscription"
  | "rejectMessage"
  | "getTodos"
  | "recordVoiceNote"
  | "claimDueSummaries"
  | "rescheduleTodo"
  | "stopRepeating"
  | "claimDueReminders";

const REQUEST_TYPES: Record<TodoServiceMethod, { fromPartial(value: never): unknown }> = {
  addTodos: todo.AddTodosRequest,
  completeTodos: todo.CompleteTodosRequest,
  editTodo: todo.EditTodoRequest,
  deleteTodos: todo.DeleteTodosRequest,
  listTodos: todo.ListTodosRequest,
  findTodo: todo.FindTodoRequest,
  nextPage: todo.NextPageRequest,
  undo: todo.UndoRequest,
  showHelp: todo.ShowHelpRequest,
  updateSettings: todo.UpdateSettingsRequest,
  setSubscription: todo.SetSubscriptionRequest,
  rejectMessage: todo.RejectMessageRequest,
  getTodos: todo.GetTodosRequest,
  recordVoiceNote: todo.RecordVoiceNoteRequest,
  claimDueSummaries: todo.ClaimDueSummariesRequest,
  rescheduleTodo: todo.RescheduleTodoRequest,
  stopRepeating: todo.StopRepeatingRequest,
  claimDueReminders: todo.ClaimDueRemindersRequest,
};

/**
 * A test's request with every field it leaves out at its default, as on the wire: the generated
 * encoders need every repeated field, and tests name only the fields they are about.
 */
export function todoRequestOf(method: TodoServiceMethod, request: unknown): unknown {
  return REQUEST_TYPES[method].fromPartial(request as never);
}

import { credentials, loadPackageDefinition, type ServiceError } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { PROTO_ROOT, TODO_SERVICE_PROTO } from "@sms-todo/contracts";

/**
 * `npm run todo -- list +15551234567`: an operator's view of a user's open todos. It
 * talks to todo-domain through a client built at run time from the .proto files, so it
 * also proves the wire contract without the generated code.
 */

type GetTodos = (
  request: { phone_number: string },
  options: { deadline: number },
  callback: (error: ServiceError | null, response?: { todos: CliTodo[] }) => void,
) => void;

interface CliTodo {
  number: number;
  text: string;
  list?: string;
  due?: { local_date: string; local_time: string; repeat: string } | null;
}

/** " (due 2026-12-08 17:00, every Monday)"; nothing for a todo without a due. */
function dueOf(todo: CliTodo): string {
  if (!todo.due) return "";
  const when = [todo.due.local_date, todo.due.local_time].filter((part) => part !== "").join(" ");
  return ` (due ${when}${todo.due.repeat ? `, ${todo.due.repeat}` : ""})`;
}

const [command, phoneNumber] = process.argv.slice(2);
if (command !== "list" || !phoneNumber) {
  process.stderr.write("usage: npm run todo -- list <E.164 phone number>\n");
  process.exit(64);
}

const definition = protoLoader.loadSync(TODO_SERVICE_PROTO, { includeDirs: [PROTO_ROOT], keepCase: true });
const loaded = loadPackageDefinition(definition) as unknown as {
  todo: {
    v1: {
      TodoService: new (
        address: string,
        creds: ReturnType<typeof credentials.createInsecure>,
      ) => { GetTodos: GetTodos; close(): void };
    };
  };
};
const client = new loaded.todo.v1.TodoService(process.env.TODO_GRPC_ADDR || "127.0.0.1:50051", credentials.createInsecure());
client.GetTodos({ phone_number: phoneNumber }, { deadline: Date.now() + 5_000 }, (error, response) => {
  client.close();
  if (error) {
    process.stderr.write(`todo-domain refused: ${error.details || error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const todos = response?.todos ?? [];
  // Each todo with its list, as the user named it (the default list has no name), and its due in the user's zone.
  const line = (todo: CliTodo) => `#${todo.number} ${todo.text}${todo.list ? ` [${todo.list}]` : ""}${dueOf(todo)}\n`;
  process.stdout.write(todos.length === 0 ? "no open todos\n" : todos.map(line).join(""));
});

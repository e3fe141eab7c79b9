import { fileURLToPath } from "node:url";

export * as todo from "./gen/todo/v1/todo.js";
export * as messaging from "./gen/messaging/v1/messaging.js";

/** Folder holding the .proto files: the wire contract, read by proto-loader and reflection. */
export const PROTO_ROOT = fileURLToPath(new URL("../../../proto", import.meta.url));

/** The .proto files that define the gRPC API, relative to PROTO_ROOT. */
export const TODO_SERVICE_PROTO = "todo/v1/todo.proto";

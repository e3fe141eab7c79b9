import { Metadata, type CallOptions, type ClientUnaryCall, type ServiceError } from "@grpc/grpc-js";
import { AppError } from "../errors/app-error.js";
import { fromServiceError } from "./grpc-status.js";

/** A generated unary client method, e.g. client.addTodos. */
export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

export interface CallSettings {
  /** Every call has a deadline. */
  deadlineMs: number;
  /** Carried as x-correlation-id metadata so one message can be followed across services. */
  correlationId?: string;
}

/** Calls a unary method with a deadline; failures arrive as AppError through the one mapping. */
export function callUnary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, settings: CallSettings): Promise<Res> {
  const metadata = new Metadata();
  if (settings.correlationId) metadata.set("x-correlation-id", settings.correlationId);
  return new Promise<Res>((resolve, reject) => {
    method(request, metadata, { deadline: Date.now() + settings.deadlineMs }, (error, response) => {
      if (error) reject(fromServiceError(error));
      else if (response === undefined) reject(new AppError("INTERNAL", "empty gRPC response"));
      else resolve(response);
    });
  });
}

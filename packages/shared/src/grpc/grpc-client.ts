import {
  InterceptingCall,
  Metadata,
  status,
  type CallOptions,
  type ClientUnaryCall,
  type Interceptor,
  type ServiceError,
} from "@grpc/grpc-js";
import { AppError } from "../errors/app-error.js";
import { CORRELATION_METADATA_KEY, currentCorrelationId } from "../logging/correlation-context.js";
import { isTracingEnabled, startSpan, type TraceCarrier } from "../tracing/spans.js";
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
  /**
   * Carried as x-correlation-id metadata so one message can be followed across services;
   * the current correlation context's id when omitted.
   */
  correlationId?: string;
}

/** Calls a unary method with a deadline; failures arrive as AppError through the one mapping. */
export function callUnary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, settings: CallSettings): Promise<Res> {
  const metadata = new Metadata();
  const correlationId = settings.correlationId ?? currentCorrelationId();
  if (correlationId) metadata.set(CORRELATION_METADATA_KEY, correlationId);
  const options: Partial<CallOptions> = { deadline: Date.now() + settings.deadlineMs };
  if (isTracingEnabled()) options.interceptors = [tracingInterceptor];
  return new Promise<Res>((resolve, reject) => {
    method(request, metadata, options, (error, response) => {
      if (error) reject(fromServiceError(error));
      else if (response === undefined) reject(new AppError("INTERNAL", "empty gRPC response"));
      else resolve(response);
    });
  });
}

/** A client span per call, named by the method's path, with its trace context sent as metadata. */
const tracingInterceptor: Interceptor = (options, nextCall) => {
  const path = options.method_definition.path.replace(/^\//, "");
  const [service, method] = path.split("/");
  const span = startSpan(path, {
    kind: "client",
    attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method },
  });
  return new InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      const carrier: TraceCarrier = {};
      span?.inject(carrier);
      for (const [key, value] of Object.entries(carrier)) metadata.set(key, value);
      next(metadata, {
        onReceiveStatus(callStatus, nextStatus) {
          span?.setAttribute("rpc.grpc.status_code", callStatus.code);
          span?.end(callStatus.code === status.OK ? undefined : new Error(`${status[callStatus.code]}: ${callStatus.details}`));
          nextStatus(callStatus);
        },
      });
    },
  });
};

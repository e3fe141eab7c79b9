import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { AppError, type ErrorCode } from "../errors/app-error.js";

/** The one mapping between AppError codes and gRPC status codes, used by servers and clients. */
const TO_GRPC: Record<ErrorCode, status> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  CONFLICT: status.ABORTED,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  UNAVAILABLE: status.UNAVAILABLE,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  UNIMPLEMENTED: status.UNIMPLEMENTED,
  CONFIG: status.FAILED_PRECONDITION,
  INTERNAL: status.INTERNAL,
};

const FROM_GRPC: Partial<Record<status, ErrorCode>> = {
  [status.INVALID_ARGUMENT]: "INVALID_ARGUMENT",
  [status.OUT_OF_RANGE]: "INVALID_ARGUMENT",
  [status.NOT_FOUND]: "NOT_FOUND",
  [status.ALREADY_EXISTS]: "CONFLICT",
  [status.ABORTED]: "CONFLICT",
  [status.PERMISSION_DENIED]: "PERMISSION_DENIED",
  [status.UNAUTHENTICATED]: "UNAUTHENTICATED",
  [status.UNAVAILABLE]: "UNAVAILABLE",
  [status.DEADLINE_EXCEEDED]: "DEADLINE_EXCEEDED",
  [status.RESOURCE_EXHAUSTED]: "UNAVAILABLE",
  [status.FAILED_PRECONDITION]: "CONFIG",
  [status.UNIMPLEMENTED]: "UNIMPLEMENTED",
};

/** An AppError as a gRPC error; internal details are not sent to the caller. */
export function toServiceError(error: AppError): Partial<ServiceError> {
  const code = TO_GRPC[error.code];
  return {
    code,
    details: error.code === "INTERNAL" ? "internal error" : error.message,
    metadata: new Metadata(),
  };
}

export function fromServiceError(error: ServiceError): AppError {
  const code = FROM_GRPC[error.code] ?? "INTERNAL";
  return new AppError(code, error.details || error.message, { cause: error });
}

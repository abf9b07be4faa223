import type { ErrorRequestHandler, RequestHandler } from "express";
import { ControlError } from "../control/errors.js";
import { StepAborted } from "../control/stepGate.js";
import { QueueError } from "../queue/taskQueue.js";
import { StoreError } from "../store/errors.js";
import { ProvisioningError } from "../backends/provisioningError.js";

/** An error the API means to show its caller: an HTTP status, a stable code and a clear message. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export const notFound: RequestHandler = (req) => {
  throw new ApiError(404, "NotFound", `no route for ${req.method} ${req.path}`);
};

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * The one place errors become HTTP responses, always `{"error": {"code", "message"}}` (plus
 * `detail`, the playground's reason, where `message` is AWS's exact text). Unknown
 * errors get a generic message: stack traces go to the server log, never to the caller.
 */
export function errorResponder(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const { status, body } = errorAnswer(error, log);
    res.status(status).json(body);
  };
}

/** The status and `{"error": …}` body an error is answered with (errorResponder's, for a server without express); 5xx errors are logged. */
export function errorAnswer(error: unknown, log: (message: string, error: unknown) => void): { status: number; body: { error: { code: string; message: string; detail?: string } } } {
  const api = toApiError(error);
  if (api.status >= 500) log(`${api.code}: ${api.message}`, error);
  return { status: api.status, body: { error: { code: api.code, message: api.message, ...(api.detail ? { detail: api.detail } : {}) } } };
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const parser = error as BodyParserError;
  switch (parser?.type) {
    case "entity.parse.failed":
      return new ApiError(400, "InvalidJson", "the request body is not valid JSON");
    case "entity.too.large":
      return new ApiError(413, "BodyTooLarge", `the request body is larger than ${parser.limit ?? "the limit of"} bytes`);
    case "encoding.unsupported":
    case "charset.unsupported":
      return new ApiError(415, "UnsupportedEncoding", "the request body must be UTF-8 JSON");
    case "request.aborted":
      return new ApiError(400, "RequestAborted", "the request was aborted before its body arrived");
  }
  // The router could not decode a path parameter (`/tasks/%E0%A4%A`): the client's mistake, not a bug.
  if (error instanceof URIError) return new ApiError(400, "InvalidPath", "the path has %-escapes that do not decode to UTF-8");
  if (error instanceof ControlError) return new ApiError(error.status, error.code, error.message, error.detail);
  if (error instanceof StepAborted) {
    return error.why === "reset"
      ? new ApiError(409, "WorldReset", "the world was reset while this request waited for Next in step mode; the reset cleared what it had done")
      : new ApiError(503, "ShuttingDown", "the playground is shutting down");
  }
  if (error instanceof QueueError) return new ApiError(503, "QueueUnavailable", `SQS could not be reached: ${error.code}`);
  if (error instanceof ProvisioningError) return new ApiError(502, "LambdaApiError", error.message);
  if (error instanceof StoreError) return new ApiError(500, "StoreError", "the task database could not be written");
  return new ApiError(500, "InternalError", "something went wrong on the server");
}

/**
 * The error envelope: every non-2xx JSON body is `{"error":{"code","message"}}`.
 * Route code throws `ApiError`; the app's error handler renders it. Codes are
 * the contract's (`@tsunagu/contract`), which the element translates.
 */
import type { ErrorCode } from "@tsunagu/contract";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export class ApiError extends HTTPException {
  override name = "ApiError";
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(status, { message, cause: options.cause });
    this.details = options.details;
    this.headers = options.headers;
  }
  readonly details: unknown;
  readonly headers: Record<string, string> | undefined;
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export const badRequest = (code: ErrorCode, message: string, details?: unknown) =>
  new ApiError(400, code, message, { details });
export const forbidden = (code: ErrorCode, message: string) => new ApiError(403, code, message);
export const notFound = (code: ErrorCode, message: string) => new ApiError(404, code, message);
export const conflict = (code: ErrorCode, message: string, details?: unknown) =>
  new ApiError(409, code, message, { details });

/**
 * The one error type the widgets deal in. Server failures arrive as the
 * envelope `{"error":{"code","message"}}`; failures that never reached the
 * server (no network, no token) get a client-side code from
 * `clientErrorCodes`, with status 0.
 */
import { isRecord } from "./is-record.ts";

/** A JSON object (not an array, not null); in is-record.ts, where a chunk loaded later can share it. */
export { isRecord };

export const clientErrorCodes = {
  /** fetch itself failed, and the server does not answer at all: offline, DNS, connection refused. */
  network: "network_error",
  /**
   * fetch failed although the server answers (a `no-cors` request reached it): the browser refused the answer, this
   * page's origin not being among the host's `origins` (the server's own 403 for an origin of another host has it too).
   */
  originNotAllowed: "origin_not_allowed",
  /** The server did not answer within the request timeout. */
  timeout: "timeout",
  /** The server answered, but not with the JSON it promises. */
  invalidResponse: "invalid_response",
  /** The element has no `server` attribute. */
  serverMissing: "server_missing",
  /** The element has neither a `token` nor a `tokenProvider`. */
  tokenMissing: "token_missing",
  /** The `tokenProvider` callback threw or returned no token. */
  tokenUnavailable: "token_unavailable",
} as const;

export type ClientErrorCode = (typeof clientErrorCodes)[keyof typeof clientErrorCodes];

export interface TsunaguApiErrorOptions {
  /** The `X-Request-Id` of the request, which names it in the server's logs. */
  requestId?: string | undefined;
  /** `error.details` from the envelope, when the server sent some. */
  details?: unknown;
  cause?: unknown;
}

export class TsunaguApiError extends Error {
  override name = "TsunaguApiError";
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(
    /** The HTTP status, or 0 when no response arrived. */
    readonly status: number,
    /** A snake_case code: the server's, or one of `clientErrorCodes`. */
    readonly code: string,
    message: string,
    options: TsunaguApiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.requestId = options.requestId;
    this.details = options.details;
  }

  /** True when the server refused the host token itself (401 with a `token_*` code): a fresh token may fix it. */
  get isTokenRejection(): boolean {
    return this.status === 401 && this.code.startsWith("token_");
  }
}

/**
 * Turns a non-2xx response into a `TsunaguApiError`. Reads the body once.
 * A body that is not the envelope (a proxy's HTML page, say) still gives a
 * typed error, with code `invalid_response`.
 */
export async function errorFromResponse(response: Response, requestId?: string): Promise<TsunaguApiError> {
  const id = response.headers.get("X-Request-Id") ?? requestId;
  const text = await response.text().catch(() => "");
  const envelope = parseErrorEnvelope(text);
  if (envelope)
    return new TsunaguApiError(response.status, envelope.code, envelope.message, {
      requestId: id,
      details: envelope.details,
    });
  const statusText = response.statusText ? ` ${response.statusText}` : "";
  return new TsunaguApiError(
    response.status,
    clientErrorCodes.invalidResponse,
    `The server answered ${response.status}${statusText} without an error description.`,
    { requestId: id },
  );
}

interface ErrorEnvelope {
  code: string;
  message: string;
  details?: unknown;
}

/** `{"error":{"code":"…","message":"…"}}` → its parts; anything else → undefined. */
export function parseErrorEnvelope(text: string): ErrorEnvelope | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the caller reports the status instead.
    return undefined;
  }
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message, details } = body.error;
  if (typeof code !== "string" || code === "" || typeof message !== "string") return undefined;
  return details === undefined ? { code, message } : { code, message, details };
}

/** Any failure as a `TsunaguApiError`, for `tsunagu-error`: a thrown non-API error reads as `invalid_response`. */
export function asApiError(error: unknown): TsunaguApiError {
  if (error instanceof TsunaguApiError) return error;
  return new TsunaguApiError(
    0,
    clientErrorCodes.invalidResponse,
    error instanceof Error ? error.message : String(error),
    { cause: error },
  );
}

/** Aborts are the caller's own doing (a disconnected element, a superseded search): never show them. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

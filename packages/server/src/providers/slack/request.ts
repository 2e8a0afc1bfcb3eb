/**
 * One Slack Web API call through `providerRequest`. Slack reports failures
 * inside an HTTP 200 as `{"ok":false,"error":"<code>"}`, and rate limits as
 * HTTP 429 with `Retry-After` in seconds and `error:"ratelimited"`.
 * https://github.com/slackhq/slack-api-docs/blob/master/index_web.md
 * https://docs.slack.dev/apis/web-api/rate-limits
 */
import type { z } from "zod";
import { InvalidGrantError, ProviderError } from "../errors.ts";
import { type CallKind, type HttpDeps, providerRequest } from "../http.ts";

/** Codes that mean the token or its grant is dead: the person has to link (or the admin to install) again. */
const deadGrantCodes = new Set(["invalid_auth", "token_revoked", "account_inactive", "invalid_refresh_token"]);

export interface SlackCall<T> {
  apiBaseUrl: string;
  /** Web API method name, e.g. `users.info`. */
  method: string;
  /** Sent as `Authorization: Bearer`. */
  token?: string | undefined;
  /** Form arguments for a POST, or the query of a GET. */
  args?: Record<string, string | undefined>;
  /** A JSON body instead of form arguments (Slack requires the bearer header then). */
  json?: object;
  httpMethod?: "GET" | "POST";
  schema: z.ZodType<T>;
  /** `create` for calls whose repetition does harm (a posted message, a single-use code or refresh token): see
   * ../http.ts. */
  kind: CallKind;
}

export function slackCall<T>(deps: HttpDeps, call: SlackCall<T>): Promise<T> {
  const url = new URL(call.method, call.apiBaseUrl);
  const args = new URLSearchParams(
    Object.entries(call.args ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const headers: Record<string, string> = {};
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  const httpMethod = call.httpMethod ?? "POST";
  if (httpMethod === "GET")
    args.forEach((value, name) => {
      url.searchParams.set(name, value);
    });
  return providerRequest(deps, {
    provider: "slack",
    url,
    method: httpMethod,
    headers,
    body: httpMethod === "GET" ? undefined : (call.json ?? args),
    schema: call.schema,
    toError: ({ status, body }) => slackError(status, body),
    checkOk: (body, response) => (isFailure(body) ? slackError(response.status, body) : undefined),
    kind: call.kind,
    isRateLimited,
  });
}

/** Slack's `error` code becomes the ProviderError's code; dead tokens become InvalidGrantError (message keeps Slack's
 * code). */
export function slackError(status: number, body: unknown): ProviderError {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof fields.error === "string" ? fields.error : status === 429 ? "ratelimited" : `http_${status}`;
  // missing_scope answers say which scope was needed and which were granted.
  const detail =
    typeof fields.needed === "string" ? ` (needed ${fields.needed}, granted ${String(fields.provided ?? "")})` : "";
  if (deadGrantCodes.has(code))
    return new InvalidGrantError("slack", status, `Slack refused the token: ${code}`, { cause: body });
  return new ProviderError("slack", status, code, `Slack answered ${code}${detail}`, { cause: body });
}

/** Slack reports failures inside HTTP 200 as `ok:false`. */
export function isFailure(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { ok?: unknown }).ok === false;
}

/** A 429 carries `error:"ratelimited"`; the code alone says it too. */
export function isRateLimited(error: ProviderError): boolean {
  return error.code === "ratelimited";
}

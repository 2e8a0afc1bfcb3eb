/**
 * Zoom's answers as the fake sends them: the OAuth endpoints' `{reason,
 * error}`, the API's `{code, message}`, the 429 headers, and the seed users
 * in Zoom's user shape.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type SeedZoomUser, zoom } from "../seed.ts";

/** OAuth endpoints: https://developers.zoom.us/docs/integrations/oauth-error-messages/ */
export function oauthError(c: Context, status: ContentfulStatusCode, error: string, reason: string): Response {
  return c.json({ reason, error }, status);
}

/** REST API: https://developers.zoom.us/docs/api/errors */
export function apiError(
  c: Context,
  status: ContentfulStatusCode,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return c.json({ code, message, ...extra }, status);
}

export const invalidClient = (c: Context) => oauthError(c, 401, "invalid_client", "Invalid client_id or client_secret");

/** https://developers.zoom.us/docs/api/rate-limits/ */
export function rateLimitResponse(
  c: Context,
  options: {
    type: "QPS" | "Daily-limit";
    category: string;
    limit: number;
    retryAfter: string | undefined;
    message: string;
  },
): Response {
  c.header("X-RateLimit-Category", options.category);
  c.header("X-RateLimit-Type", options.type);
  c.header("X-RateLimit-Limit", String(options.limit));
  c.header("X-RateLimit-Remaining", "0");
  if (options.retryAfter !== undefined) c.header("Retry-After", options.retryAfter);
  return c.json({ code: 429, message: options.message }, 429);
}

/** Zoom's default role ids: 0 owner, 1 admin, 2 member. */
const roles = {
  owner: { id: "0", name: "Owner" },
  admin: { id: "1", name: "Admin" },
  member: { id: "2", name: "Member" },
} as const;

/** https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId} */
export function userJson(user: SeedZoomUser, withAccount: boolean): Record<string, unknown> {
  const [firstName = user.person.name, ...rest] = user.person.name.split(" ");
  const role = roles[user.role];
  const pmi = 1_000_000_000 + (hash(user.id) % 8_999_999_999);
  return {
    id: user.id,
    first_name: firstName,
    last_name: rest.join(" "),
    display_name: user.person.name,
    email: user.person.email,
    type: user.type,
    role_name: role.name,
    role_id: role.id,
    pmi,
    use_pmi: false,
    timezone: user.person.timeZone,
    verified: 1,
    dept: user.person.title,
    language: "ja-JP",
    status: "active",
    created_at: "2024-04-01T00:00:00Z",
    user_created_at: "2024-04-01T00:00:00Z",
    company: zoom.companies[user.accountId] ?? "",
    ...(withAccount && {
      account_id: user.accountId,
      account_number: hash(user.accountId) % 100_000_000,
      cluster: "us05",
    }),
  };
}

export function hash(text: string): number {
  let value = 2166136261;
  for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 16777619);
  return value >>> 0;
}

/** Zoom's pagination cursor: opaque to clients; here the offset of the next item. */
export function pageOf<T>(
  items: T[],
  query: { page_size?: string | undefined; next_page_token?: string | undefined },
  defaultSize = 30,
): { page: T[]; pageSize: number; nextPageToken: string } | undefined {
  const pageSize = Math.min(300, Math.max(1, Number(query.page_size ?? defaultSize) || defaultSize));
  let offset = 0;
  if (query.next_page_token) {
    const decoded = Number(Buffer.from(query.next_page_token, "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) return undefined;
    offset = decoded;
  }
  const page = items.slice(offset, offset + pageSize);
  const next = offset + pageSize < items.length ? Buffer.from(String(offset + pageSize)).toString("base64url") : "";
  return { page, pageSize, nextPageToken: next };
}

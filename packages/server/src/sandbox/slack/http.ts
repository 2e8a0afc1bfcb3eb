/**
 * How the fake reads Web API requests and answers them, the way Slack does:
 * arguments from the query, a form or a JSON body; the token from the bearer
 * header (or a `token` argument outside JSON); failures as HTTP 200 `ok:false`.
 * https://github.com/slackhq/slack-api-docs/blob/master/index_web.md
 */
import type { Context } from "hono";
import type { FakeContext } from "../fake.ts";
import { basicCredentials } from "../oauth-kit.ts";

export type SlackArgs = Record<string, unknown>;

export async function readArgs(c: Context): Promise<SlackArgs> {
  const args: SlackArgs = { ...c.req.query() };
  if (c.req.method !== "POST") return args;
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/json")) {
    const body: unknown = await c.req.json().catch(() => ({}));
    // Slack takes no token from a JSON body: it must come as a bearer header.
    if (typeof body === "object" && body !== null) Object.assign(args, body, { token: undefined });
  } else if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    Object.assign(args, await c.req.parseBody());
  }
  return args;
}

export function text(args: SlackArgs, name: string): string | undefined {
  const value = args[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function bearerToken(c: Context, args: SlackArgs): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  return match?.[1] ?? text(args, "token");
}

export function ok(c: Context, body: Record<string, unknown> = {}): Response {
  return c.json({ ok: true, ...body });
}

export function fail(c: Context, error: string, extra: Record<string, unknown> = {}): Response {
  return c.json({ ok: false, error, ...extra });
}

/** Client credentials from HTTP Basic (preferred by Slack) or the body; the error Slack gives when they are wrong. */
export function checkClient(c: Context, args: SlackArgs, context: FakeContext): string | undefined {
  const credentials = basicCredentials(c.req.header("authorization")) ?? {
    clientId: text(args, "client_id"),
    clientSecret: text(args, "client_secret"),
  };
  if (credentials.clientId !== context.clientId) return "invalid_client_id";
  if (credentials.clientSecret !== context.clientSecret) return "bad_client_secret";
  return undefined;
}

export function htmlError(c: Context, title: string, detail: string): Response {
  return c.html(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>Slack sandbox — ` +
      `${escapeHtml(title)}</title><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`,
    400,
  );
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Redirects to the app's redirect_uri with these parameters added. */
export function redirectBack(c: Context, redirectUri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return c.redirect(url.toString(), 302);
}

/**
 * How a flow's outcome reaches the embedding page: a popup page that posts a
 * message to `window.opener` at the exact recorded origin and closes itself,
 * or, in redirect mode, a 302 back to the recorded return URL. A page that
 * cannot trust its browser (unknown state, another browser) posts nothing.
 */
import { randomBytes } from "node:crypto";
import { html, raw } from "hono/html";
import type { FlowRow } from "./flow-store.ts";
import type { Refusal } from "./refusals.ts";

/** The languages of the pages, as of the host token's `locale` (ARCHITECTURE.md, "Identity"); English when unknown. */
export type PageLocale = "ja" | "en";

/** hono/html's escaped markup; a route answers it with `c.html`. */
export type HtmlBody = ReturnType<typeof html>;

/** What a flow does, as its pages say: a person's account is linked, the organisation connected, a person signed in. */
type PageKind = "personal" | "org" | "signin";
type Words = { title: string; text: string };

/**
 * The pages' own words, like the elements' translation tables (Japanese and English): `done` when the flow ended as
 * asked, `failed` leading a refusal. The English keeps the elements' two verbs (link an account, connect the
 * organisation); the Japanese says 連携 for both, as the elements do.
 */
const pageWords = {
  en: {
    personal: {
      done: { title: "Linked", text: "The account is linked. You can close this window." },
      failed: { title: "Not linked", text: "Nothing was linked." },
    },
    org: {
      done: { title: "Connected", text: "The organisation is connected. You can close this window." },
      failed: { title: "Not connected", text: "Nothing was connected." },
    },
    signin: {
      done: { title: "Signed in", text: "You are signed in. You can close this window." },
      failed: { title: "Not signed in", text: "You are not signed in." },
    },
    back: "Back",
  },
  ja: {
    personal: {
      done: { title: "連携しました", text: "アカウントの連携が完了しました。このウィンドウは閉じて構いません。" },
      failed: { title: "連携できませんでした", text: "連携は完了していません。理由は次のとおりです。" },
    },
    org: {
      done: { title: "連携しました", text: "組織の連携が完了しました。このウィンドウは閉じて構いません。" },
      failed: { title: "連携できませんでした", text: "連携は完了していません。理由は次のとおりです。" },
    },
    signin: {
      done: { title: "サインインしました", text: "サインインが完了しました。このウィンドウは閉じて構いません。" },
      failed: { title: "サインインできませんでした", text: "サインインは完了していません。理由は次のとおりです。" },
    },
    back: "戻る",
  },
} as const satisfies Record<PageLocale, Record<PageKind, { done: Words; failed: Words }> & { back: string }>;

const kindOf = (purpose: string | undefined): PageKind =>
  purpose === "org" || purpose === "signin" ? purpose : "personal";

/** The locale a flow recorded from its starter's host token (migration 0009); English for flows from before it. */
export function flowLocale(flow: Pick<FlowRow, "locale">): PageLocale {
  return flow.locale === "ja" ? "ja" : "en";
}

/** How a flow's refusal pages speak: in its starter's language, of what the flow was doing. */
export function flowPage(flow: Pick<FlowRow, "locale" | "purpose">): { locale: PageLocale; purpose: string } {
  return { locale: flowLocale(flow), purpose: flow.purpose };
}

export interface OutcomeMessage {
  type: "tsunagu:oauth";
  flow: string;
  /** `signed_in`: a Sign in with Slack flow, whose message carries the assertion. */
  status: "linked" | "signed_in" | "error";
  provider: string;
  purpose: string;
  accountId?: string;
  connectionId?: string;
  /** The server-signed sign-in assertion (README, "Sign in with Slack"); only to the exact recorded origin. */
  assertion?: string;
  error?: Refusal;
}

export interface PageResponse {
  status: 200 | 400;
  body: HtmlBody;
  headers: Record<string, string>;
}

/** A cookie to set (maxAgeSeconds > 0) or clear (0). */
export interface CookieInstruction {
  name: string;
  value: string;
  path: string;
  maxAgeSeconds: number;
  secure: boolean;
}

/** What a browser-facing step answers: a redirect or a page, with the cookies to set. */
export type BrowserAnswer =
  | { kind: "redirect"; location: string; cookies: CookieInstruction[] }
  | { kind: "page"; page: PageResponse; cookies: CookieInstruction[] };

/** The outcome of a flow whose browser is verified: posted to the opener, or redirected back in redirect mode. */
export function deliver(flow: FlowRow, outcome: OutcomeMessage, cookies: CookieInstruction[]): BrowserAnswer {
  if (flow.return_mode === "redirect" && flow.return_url)
    return { kind: "redirect", location: returnLocation(flow.return_url, outcome), cookies };
  return { kind: "page", page: popupPage(outcome, flow.embed_origin, flowLocale(flow)), cookies };
}

export function page(response: PageResponse): BrowserAnswer {
  return { kind: "page", page: response, cookies: [] };
}

export function message(flow: FlowRow, status: OutcomeMessage["status"]): OutcomeMessage {
  return { type: "tsunagu:oauth", flow: flow.id, status, provider: flow.provider, purpose: flow.purpose };
}

export function ids(saved: {
  accountId?: string | undefined;
  connectionId?: string | undefined;
}): Partial<OutcomeMessage> {
  return {
    ...(saved.accountId ? { accountId: saved.accountId } : {}),
    ...(saved.connectionId ? { connectionId: saved.connectionId } : {}),
  };
}

/** The popup page: posts `message` to `origin` (never "*"), with a visible fallback in the flow's language. */
export function popupPage(message: OutcomeMessage, origin: string, locale: PageLocale = "en"): PageResponse {
  const nonce = randomBytes(16).toString("base64");
  const script = `(function () {
  var message = ${scriptJson(message)};
  var origin = ${scriptJson(origin)};
  if (window.opener) {
    window.opener.postMessage(message, origin);
    window.close();
  }
})();`;
  const { done, failed } = pageWords[locale][message.status === "signed_in" ? "signin" : kindOf(message.purpose)];
  const ended = message.status !== "error";
  return {
    status: ended ? 200 : 400,
    body: document({
      locale,
      nonce,
      title: ended ? done.title : failed.title,
      lead: failed.text,
      text: ended ? done.text : (message.error?.message ?? failed.text),
      code: message.error?.code,
      script,
    }),
    headers: pageHeaders(nonce),
  };
}

/** A page for a browser we cannot answer through: it says what happened and posts nothing. */
export function plainPage(
  refusal: Refusal,
  options: { returnUrl?: string | null; locale?: PageLocale | undefined; purpose?: string } = {},
): PageResponse {
  const nonce = randomBytes(16).toString("base64");
  const locale = options.locale ?? "en";
  const failure = pageWords[locale][kindOf(options.purpose)].failed;
  return {
    status: 400,
    body: document({
      locale,
      nonce,
      title: failure.title,
      lead: failure.text,
      text: refusal.message,
      code: refusal.code,
      link: options.returnUrl ?? undefined,
    }),
    headers: pageHeaders(nonce),
  };
}

/** Redirect-return mode: the recorded return URL with `tsunagu_oauth`, `flow`, on failure `code`, and a sign-in's
 * `tsunagu_assertion`. */
export function returnLocation(returnUrl: string, message: OutcomeMessage): string {
  const url = new URL(returnUrl);
  url.searchParams.set("tsunagu_oauth", message.status);
  url.searchParams.set("flow", message.flow);
  if (message.accountId) url.searchParams.set("account", message.accountId);
  if (message.error) url.searchParams.set("code", message.error.code);
  if (message.assertion) url.searchParams.set("tsunagu_assertion", message.assertion);
  return url.toString();
}

function pageHeaders(nonce: string): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy":
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; ` +
      `base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  };
}

function document(page: {
  locale: PageLocale;
  nonce: string;
  title: string;
  /** What leads a refusal's message on a page not in English. */
  lead: string;
  text: string;
  code?: string | undefined;
  script?: string;
  link?: string | undefined;
}): HtmlBody {
  const words = pageWords[page.locale];
  // Refusal messages are the server's, in English: a Japanese page leads with its own words and marks the message's
  // language.
  const statusText =
    page.code && page.locale !== "en"
      ? html`<p>${page.lead}</p>
<p role="status" lang="en">${page.text}</p>`
      : html`<p role="status">${page.text}</p>`;
  return html`<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Tsunagu</title>
<style nonce="${page.nonce}">${raw(pageStyle)}</style>
</head>
<body>
<main>
<h1>${page.title}</h1>
${statusText}
${page.code ? html`<p><code data-error-code="${page.code}">${page.code}</code></p>` : ""}
${page.link ? html`<p><a href="${page.link}">${words.back}</a></p>` : ""}
</main>
${page.script ? html`<script nonce="${page.nonce}">${raw(page.script)}</script>` : ""}
</body>
</html>`;
}

const pageStyle =
  "body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d1d1f}main{max-width:420px;margin:48px" +
  (" auto;background:#fff;border-radius:12px;padding:24px 28px;box-shadow:0 2px 12px " +
    "#0002}code{font-size:13px;color:#555}");

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

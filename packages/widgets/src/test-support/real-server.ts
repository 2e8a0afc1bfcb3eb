/**
 * Browser side of test-support/real-server.mjs: the real Tsunagu server with
 * the sandbox, host tokens signed as a portal backend would, and a person's
 * clicks on the sandbox's consent pages. Production code never imports this.
 */
import { executeServerCommand } from "@web/test-runner-commands";
import type { HostTokenProvider } from "../shared/host-token-controller.ts";

export interface RealServer {
  /** The server's public URL: the element's `server`. */
  url: string;
  /** Each fake provider's origin. */
  providers: Record<string, string>;
}

/** Starts the server on first use (a few seconds), then answers at once. */
export async function realServer(): Promise<RealServer> {
  const response = await fetch("/__tsunagu-real/server");
  if (!response.ok) throw new Error(`the real server did not start: ${await response.text()}`);
  return (await response.json()) as RealServer;
}

export interface PortalUser {
  sub: string;
  org: string;
  role: "admin" | "recruiter" | "assistant" | "guest";
  email: string;
  name?: string;
  locale?: "ja" | "en";
  /** The user's IANA zone (the token's `tz`): where their working hours are read. */
  tz?: string;
}

/** A token provider for `user`, as a portal page would have: it asks the portal's backend each time. */
export function portalTokenProvider(user: PortalUser): HostTokenProvider {
  return async () => {
    const response = await fetch("/__tsunagu-real/token", { method: "POST", body: JSON.stringify(user) });
    return ((await response.json()) as { token: string }).token;
  };
}

/** Calls the API as `user`, outside the element: to check what the server holds. */
export async function apiAs<T>(server: RealServer, user: PortalUser, path: string): Promise<T> {
  const token = await portalTokenProvider(user)();
  const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export interface ConsentChoice {
  /** The account to pick: a Google email, a Zoom user id, a Slack member id, a Microsoft object id. */
  account?: string;
  decision?: "allow" | "deny";
  /** Optional scopes to untick (Google's granular consent). */
  uncheck?: string[];
}

/** Answers the provider page in the newest popup, as a person would (through puppeteer, not from this page's script).
 * */
export async function consentInPopup(choice: ConsentChoice): Promise<void> {
  await executeServerCommand("tsunagu-consent", choice);
}

export interface ElsewhereAnswer {
  status: number | null;
  /** The page's `data-error-code`, if it shows one. */
  code: string | null;
}

/**
 * Opens `url` in another person's browser (a fresh browser context: no
 * cookies, no opener): as a clicked link, or posted with a begin secret
 * from a page on another origin.
 */
export async function openElsewhere(
  url: string,
  postSecretFrom?: { origin: string; secret: string },
): Promise<ElsewhereAnswer> {
  return (await executeServerCommand("tsunagu-open-elsewhere", {
    url,
    ...(postSecretFrom ? { postSecretFrom } : {}),
  })) as ElsewhereAnswer;
}

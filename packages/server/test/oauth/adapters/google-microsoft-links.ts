/**
 * Browser-like walks through the Google and Microsoft round trips on the test
 * app (../../support/test-app.ts with both fakes): start → begin → the fake's
 * consent page(s) → our callback; and what the tests read back.
 */
import { expect } from "vitest";
import { readTokens } from "../../../src/accounts/tokens.ts";
import type { TokenSet } from "../../../src/providers/types.ts";
import { decide as decideGoogle, openConsent as openGoogleConsent } from "../../providers/google-support.ts";
import { decide as decideMicrosoft } from "../../providers/microsoft-helpers.ts";
import { beginLink, type Caller, followToCallback, outcomeOf } from "../../support/round-trip.ts";
import type { TestApp } from "../../support/test-app.ts";

export type LinkingApp = TestApp<"google" | "microsoft">;

export interface GoogleChoice {
  decision?: "allow" | "deny";
  /** Calendar scopes to untick on Google's granular consent screen. */
  untick?: string[];
}

/** The whole Google round trip, choosing `account` on the consent page. */
export async function linkGoogle(
  t: LinkingApp,
  caller: Caller,
  purpose: "org" | "personal",
  account: string,
  choice: GoogleChoice = {},
) {
  const begun = await beginLink(t, caller, "google", purpose);
  const back = await decideGoogle(await openGoogleConsent(begun.providerUrl), account, choice);
  return { ...begun, outcome: await outcomeOf(await followToCallback(t, back, begun.cookie)) };
}

/** A Microsoft sign-in page: choose the account whose sign-in name is `email`, allow or deny; our callback's answer. */
export async function signInAtMicrosoft(
  t: LinkingApp,
  page: URL,
  email: string,
  cookie: string,
  decision: "allow" | "deny" = "allow",
): Promise<Response> {
  return followToCallback(t, await decideMicrosoft(page, email, decision), cookie);
}

/**
 * Connects Microsoft 365: admin consent as `consentBy`, then (if our callback
 * sends the browser on) the sign-in as `signInAs`, pinned to the tenant.
 */
export async function connectMicrosoft(
  t: LinkingApp,
  caller: Caller,
  consentBy: string,
  signInAs = consentBy,
  decision: "allow" | "deny" = "allow",
) {
  const begun = await beginLink(t, caller, "microsoft", "org");
  const afterConsent = await signInAtMicrosoft(t, begun.providerUrl, consentBy, begun.cookie, decision);
  if (afterConsent.status !== 302) return { ...begun, signInUrl: undefined, outcome: await outcomeOf(afterConsent) };
  const signInUrl = new URL(afterConsent.headers.get("location") ?? "");
  return {
    ...begun,
    signInUrl,
    outcome: await outcomeOf(await signInAtMicrosoft(t, signInUrl, signInAs, begun.cookie)),
  };
}

export async function linkMicrosoft(t: LinkingApp, caller: Caller, email: string) {
  const begun = await beginLink(t, caller, "microsoft", "personal");
  return { ...begun, outcome: await outcomeOf(await signInAtMicrosoft(t, begun.providerUrl, email, begun.cookie)) };
}

export interface AccountsAnswer {
  connections: Array<{
    id: string;
    provider: string;
    externalId: string;
    displayName: string;
    detail: Record<string, unknown>;
    status: string;
  }>;
  accounts: Array<{
    id: string;
    provider: string;
    externalUserId: string;
    externalAccountId: string;
    email: string | null;
    displayName: string;
    status: string;
    isDefault: boolean;
  }>;
}

export async function accountsOf(t: LinkingApp, caller: Caller): Promise<AccountsAnswer> {
  const response = await t.api(caller, "GET", "/v1/accounts");
  expect(response.status).toBe(200);
  return (await response.json()) as AccountsAnswer;
}

/** The tokens stored for one of the caller's accounts (tests only: the API never shows them). */
export async function storedTokens(t: LinkingApp, caller: Caller, accountId: string): Promise<TokenSet | undefined> {
  const row = await t.db
    .selectFrom("accounts")
    .select("credential_id")
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  return (
    await readTokens(
      { db: t.db, vault: t.vault, clock: t.clock },
      { hostId: "portal-a", orgId: caller.org },
      row.credential_id,
    )
  )?.tokens;
}

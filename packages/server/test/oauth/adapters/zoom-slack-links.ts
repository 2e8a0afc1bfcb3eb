/**
 * Browser-like walks through the Zoom and Slack round trips on the test app
 * (../../support/test-app.ts with both fakes): start → begin → the fake's
 * consent page → our callback; and what the tests read back.
 */
import { expect } from "vitest";
import type { TokenOwner } from "../../../src/accounts/refresh.ts";
import { readTokens } from "../../../src/accounts/tokens.ts";
import type { ProviderId } from "../../../src/providers/errors.ts";
import type { TokenSet } from "../../../src/providers/types.ts";
import { decide, openConsent } from "../../providers/slack-support.ts";
import { walkConsent } from "../../providers/zoom-support.ts";
import { beginLink, type Caller, followToCallback, type Outcome, outcomeOf } from "../../support/round-trip.ts";
import type { TestApp } from "../../support/test-app.ts";

export type ZoomSlackApp = TestApp<"zoom" | "slack">;

/** Follows the provider's redirect to our callback with the binding cookie; returns what the page posts to the opener.
 * */
export async function finish(t: ZoomSlackApp, location: URL, cookie: string): Promise<Outcome> {
  return outcomeOf(await followToCallback(t, location, cookie));
}

/** The whole Zoom round trip, choosing Zoom user `zoomUserId` on the consent page. */
export async function linkZoom(t: ZoomSlackApp, caller: Caller, purpose: "org" | "personal", zoomUserId: string) {
  const begun = await beginLink(t, caller, "zoom", purpose);
  const { location } = await walkConsent(t.zoom, { url: begun.providerUrl, account: zoomUserId });
  return { ...begun, location, outcome: await finish(t, location, begun.cookie) };
}

/** The whole Slack round trip (install or Sign in with Slack), choosing member `slackUserId` on the consent page. */
export async function linkSlack(t: ZoomSlackApp, caller: Caller, purpose: "org" | "personal", slackUserId: string) {
  const begun = await beginLink(t, caller, "slack", purpose);
  const location = await decide(await openConsent(begun.providerUrl), slackUserId);
  return { ...begun, location, outcome: await finish(t, location, begun.cookie) };
}

export function expectLinked(outcome: Outcome): void {
  expect(outcome, JSON.stringify(outcome.error)).toMatchObject({ status: "linked" });
}

export const accountRow = (t: ZoomSlackApp, id: string) =>
  t.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** The tokens stored behind an account or connection row (tests only: the API never shows them). */
export async function storedTokens(
  t: ZoomSlackApp,
  row: { org_id: string; credential_id: string | null },
): Promise<TokenSet> {
  if (!row.credential_id) throw new Error("the row holds no credential");
  const stored = await readTokens(
    { db: t.db, vault: t.vault, clock: t.clock },
    { hostId: "portal-a", orgId: row.org_id },
    row.credential_id,
  );
  if (!stored) throw new Error(`credential ${row.credential_id} is gone`);
  return stored.tokens;
}

/** The refresher's view of an account row. */
export function accountOwner(row: { id: string; org_id: string; provider: string; credential_id: string }): TokenOwner {
  return {
    kind: "account",
    id: row.id,
    hostId: "portal-a",
    orgId: row.org_id,
    provider: row.provider as ProviderId,
    credentialId: row.credential_id,
  };
}

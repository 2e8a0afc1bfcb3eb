/**
 * What one availability question reads from the database for the calendar
 * accounts: the accounts with their sealed tokens in one query however many
 * accounts (no read per account), and still nothing answered from a link
 * that stopped being usable: a token past its expiry is refreshed first, an
 * account that needs linking again is named unreadable.
 */
import type { CompiledQuery } from "kysely";
import { readTokens, replaceTokens } from "../../src/accounts/tokens.ts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LinkingApp, storedTokens } from "../oauth/adapters/google-microsoft-links.ts";
import { address, appWithLinkedCalendars, org, person, recruiter } from "./linked-calendars.ts";

const people = ["u-ai", "u-sho", "u-emily"];

let t: LinkingApp;
let accountIds: Record<string, string>;

interface Answer {
  people: Array<{
    id: string;
    status: string;
    calendars: Array<{ provider: string; status: string; reason?: string }>;
  }>;
}

beforeAll(async () => {
  // Ai links two calendars, Sho and Emily one each: four personal accounts beside the organisation's two.
  ({ t, accountIds } = await appWithLinkedCalendars([
    { key: "ai-google", sub: "u-ai", provider: "google", mailbox: "ai.tanaka" },
    { key: "ai-outlook", sub: "u-ai", provider: "microsoft", mailbox: "yui.watanabe" },
    { key: "sho-outlook", sub: "u-sho", provider: "microsoft", mailbox: "sho.takahashi" },
    { key: "emily-google", sub: "u-emily", provider: "google", mailbox: "emily.carter" },
  ]));
}, 60_000);
afterAll(() => t.close());

/** Rewrites an account's stored tokens as expired a minute ago (the provider's copy is untouched). */
async function expireTokens(accountId: string): Promise<void> {
  const deps = { db: t.db, vault: t.vault, clock: t.clock };
  const scope = { hostId: "portal-a", orgId: org };
  const { credential_id } = await t.db
    .selectFrom("accounts")
    .select("credential_id")
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  const stored = (await readTokens(deps, scope, credential_id))!;
  const expiresAt = new Date(t.clock.now().getTime() - 60_000).toISOString();
  expect(await replaceTokens(deps, scope, credential_id, stored.version, { ...stored.tokens, expiresAt })).toBe(true);
}

/** Asks for the three people's availability; returns the answer and the SQL run meanwhile on accounts or tokens. */
async function ask(): Promise<{ answer: Answer; accountQueries: string[] }> {
  const executor = t.db.getExecutor();
  const seen: string[] = [];
  const original = executor.executeQuery.bind(executor);
  const spy = vi.spyOn(executor, "executeQuery").mockImplementation((query: CompiledQuery, ...rest) => {
    if (/\b(accounts|credentials)\b/.test(query.sql)) seen.push(query.sql);
    return original(query, ...rest);
  });
  try {
    const start = t.clock.now();
    const response = await t.api(recruiter, "POST", "/v1/availability", {
      participants: people,
      start: start.toISOString(),
      end: new Date(start.getTime() + 7 * 86_400_000).toISOString(),
      durationMinutes: 60,
      timeZone: "Asia/Tokyo",
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return { answer: (await response.json()) as Answer, accountQueries: seen };
  } finally {
    spy.mockRestore();
  }
}

describe("the calendar accounts availability reads", () => {
  it("reads four accounts and their tokens in one query", async () => {
    const { answer, accountQueries } = await ask();
    expect(answer.people.map((entry) => [entry.id, entry.status, entry.calendars.length])).toEqual([
      ["u-ai", "ok", 2],
      ["u-sho", "ok", 1],
      ["u-emily", "ok", 1],
    ]);
    expect(accountQueries).toHaveLength(1);
    expect(accountQueries[0]).toMatch(/join "credentials"/);
  });

  it("refreshes a token past its expiry before reading, as every other caller does", async () => {
    const before = await storedTokens(t, person("u-sho"), accountIds["sho-outlook"]!);
    await expireTokens(accountIds["sho-outlook"]!);
    const { answer, accountQueries } = await ask();
    expect(answer.people.every((entry) => entry.status === "ok")).toBe(true);
    const after = await storedTokens(t, person("u-sho"), accountIds["sho-outlook"]!);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    // The refresh path reads the account and its tokens again, under the refresh lease, for the stale account.
    expect(accountQueries.length).toBeGreaterThan(1);
    // Fresh again: one query.
    expect((await ask()).accountQueries).toHaveLength(1);
  });

  it("names an account that must be linked again unreadable, from the same one query", async () => {
    await t.google.control("/revoke", { subject: address("emily.carter") });
    const first = await ask();
    expect(first.answer.people.find((entry) => entry.id === "u-emily")).toMatchObject({
      status: "unconfirmed",
      calendars: [{ provider: "google", status: "unreadable", reason: "needs_reauth" }],
    });
    const again = await ask();
    expect(again.answer.people.find((entry) => entry.id === "u-emily")?.calendars[0]).toMatchObject({
      status: "unreadable",
      reason: "needs_reauth",
    });
    expect(again.accountQueries).toHaveLength(1);
  });
});

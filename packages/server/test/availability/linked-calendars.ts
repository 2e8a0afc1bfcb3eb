/**
 * The set-up the availability route tests share: the real app with the Google and Microsoft fakes, organisation
 * `sakura` whose admin Hanako connected its Workspace domain and its Microsoft 365 tenant, then each person's own
 * calendars linked (Google personal accounts and Outlook mailboxes), every link checked as linked. The mailboxes are
 * the fakes' seeded ones, so the busy times each person shows are known (src/sandbox/seed.ts).
 */
import { expect } from "vitest";
import {
  connectMicrosoft,
  type LinkingApp,
  linkGoogle,
  linkMicrosoft,
} from "../oauth/adapters/google-microsoft-links.ts";
import { type Caller, createTestApp } from "../support/test-app.ts";

export const org = "sakura";
export const admin: Caller = { sub: "u-hanako", org, role: "admin" };
export const recruiter: Caller = { sub: "u-ken", org, role: "recruiter" };
export const person = (sub: string): Caller => ({ sub, org, role: "recruiter" });
export const address = (name: string) => `${name}@sakura-recruit.example`;

/** One calendar a person links: `key` names its account id in the answer; `mailbox` is the seeded address's name. */
export interface PersonalCalendar {
  key: string;
  sub: string;
  provider: "google" | "microsoft";
  mailbox: string;
}

/**
 * Makes the app and links, in order, the organisation's Google domain (`org-google`) and Microsoft tenant
 * (`org-microsoft`), then `calendars`; answers the app and the linked account ids by key. The caller closes the app.
 */
export async function appWithLinkedCalendars(
  calendars: readonly PersonalCalendar[],
): Promise<{ t: LinkingApp; accountIds: Record<string, string> }> {
  const t = await createTestApp({ providers: ["google", "microsoft"] });
  const accountIds: Record<string, string> = {};
  const link = async (key: string, outcome: Promise<{ outcome: { status: string; accountId?: string } }>) => {
    const result = (await outcome).outcome;
    expect(result.status).toBe("linked");
    accountIds[key] = result.accountId ?? "";
  };
  await link("org-google", linkGoogle(t, admin, "org", address("hanako.yamada")));
  await link("org-microsoft", connectMicrosoft(t, admin, address("hanako.yamada")));
  for (const calendar of calendars) {
    const caller = person(calendar.sub);
    const email = address(calendar.mailbox);
    await link(
      calendar.key,
      calendar.provider === "google" ? linkGoogle(t, caller, "personal", email) : linkMicrosoft(t, caller, email),
    );
  }
  return { t, accountIds };
}

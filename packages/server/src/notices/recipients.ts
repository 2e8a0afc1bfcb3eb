/**
 * Who a Slack notice can reach: a portal user's Slack account (a personal
 * link of the organisation's workspace), with the language and time zone the
 * notice is written in. A person without a live Slack link gets no DM; one
 * whose link needs renewing is still a recipient, so the failed attempt is
 * recorded against that account (README "Notifications").
 */
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";

export type NoticeLanguage = "ja" | "en";

export interface SlackRecipient {
  userId: string;
  /** The Slack account the DM goes to. */
  accountId: string;
  accountStatus: "active" | "needs_reauth";
  /** `users.locale`; Japanese unless the portal said English. */
  language: NoticeLanguage;
  /** `users.time_zone`, the zone the portal's host tokens last carried; null when never told. */
  timeZone: string | null;
}

/** The Slack recipients among `userIds`, by user id: each one's default Slack account, else its oldest. */
export async function findSlackRecipients(
  db: DB,
  tenant: OrgScope,
  userIds: readonly string[],
): Promise<Map<string, SlackRecipient>> {
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return new Map();
  const accounts = await db
    .selectFrom("accounts")
    .select(["id", "user_id", "status"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("provider", "=", "slack")
    .where("user_id", "in", wanted)
    .where("status", "in", ["active", "needs_reauth"])
    // An active account before one that needs renewing, the default first, then the oldest.
    .orderBy("status")
    .orderBy("is_default", "desc")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const users = await db
    .selectFrom("users")
    .select(["user_id", "locale", "time_zone"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("user_id", "in", wanted)
    .execute();
  const userRows = new Map(users.map((row) => [row.user_id, row]));
  const recipients = new Map<string, SlackRecipient>();
  for (const account of accounts) {
    if (recipients.has(account.user_id)) continue;
    const user = userRows.get(account.user_id);
    recipients.set(account.user_id, {
      userId: account.user_id,
      accountId: account.id,
      accountStatus: account.status === "active" ? "active" : "needs_reauth",
      language: user?.locale === "en" ? "en" : "ja",
      timeZone: user?.time_zone ?? null,
    });
  }
  return recipients;
}

/**
 * Slack's `tokens_revoked` and `app_uninstalled` events. Slack user and team
 * ids are Slack's, so accounts and connections of that workspace are looked
 * up in every tenant that linked it.
 * https://docs.slack.dev/reference/events/tokens_revoked · https://docs.slack.dev/reference/events/app_uninstalled
 */
import type { Clock } from "../clock.ts";
import type { ConnectionRow } from "../accounts/store.ts";
import type { DB } from "../store/database.ts";
import { recordReceipt } from "./receipts.ts";
import { accountsSharingConnections, revokeLinks } from "./revoke-links.ts";
import type { InboundResult } from "./zoom.ts";

export type SlackRevocation =
  /** `oauth`: users whose user tokens died; `bot`: bot users whose bot tokens died (our install's bot). */
  | { type: "tokens_revoked"; eventId: string; teamId: string; userIds: string[]; botUserIds: string[] }
  /** Every token of the workspace is gone. */
  | { type: "app_uninstalled"; eventId: string; teamId: string };

export async function applySlackRevocation(
  deps: { db: DB; clock: Clock },
  event: SlackRevocation,
): Promise<InboundResult> {
  const { clock } = deps;
  return deps.db.transaction().execute(async (db): Promise<InboundResult> => {
    if (!(await recordReceipt(db, clock, "slack", event.eventId))) return { duplicate: true };
    const ofTeam = db
      .selectFrom("accounts")
      .selectAll()
      .where("provider", "=", "slack")
      .where("external_account_id", "=", event.teamId);
    const wholeTeam = event.type === "app_uninstalled";
    const accounts = wholeTeam
      ? await ofTeam.execute()
      : event.userIds.length > 0
        ? await ofTeam.where("external_user_id", "in", event.userIds).execute()
        : [];
    // The app has one bot per workspace: any bot token of the team revoked is our installation's.
    const connections: ConnectionRow[] =
      wholeTeam || event.botUserIds.length > 0
        ? await db
            .selectFrom("connections")
            .selectAll()
            .where("provider", "=", "slack")
            .where("external_id", "=", event.teamId)
            .execute()
        : [];
    // An account holding the installation's own tokens dies with them.
    const sharing = await accountsSharingConnections(db, "slack", connections);
    const revoked = await revokeLinks(
      db,
      clock,
      { accounts: [...accounts, ...sharing], connections },
      { provider: "slack", reason: event.type, eventId: event.eventId },
    );
    return { duplicate: false, revoked };
  });
}

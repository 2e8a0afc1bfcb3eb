/**
 * Zoom's `app_deauthorized`: a Zoom user removed our app, and every grant of
 * theirs is dead. Each personal account of that Zoom user, in every tenant
 * (several portal users may link one shared recruiting Zoom user), and each
 * organisation connection whose tokens are that user's grant, is revoked.
 * https://marketplace.zoom.us/docs/guides/auth/deauthorization/
 */
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import { recordReceipt } from "./receipts.ts";
import { accountsSharingConnections, type RevokedLinks, revokeLinks } from "./revoke-links.ts";

export interface ZoomDeauthorization {
  zoomUserId: string;
  /** Zoom sends no event id: ours is built from what a retry repeats unchanged. */
  eventId: string;
}

export type InboundResult = { duplicate: true } | { duplicate: false; revoked: RevokedLinks };

export async function applyZoomDeauthorization(
  deps: { db: DB; clock: Clock },
  event: ZoomDeauthorization,
): Promise<InboundResult> {
  const { clock } = deps;
  return deps.db.transaction().execute(async (db): Promise<InboundResult> => {
    if (!(await recordReceipt(db, clock, "zoom", event.eventId))) return { duplicate: true };
    const accounts = await db
      .selectFrom("accounts")
      .selectAll()
      .where("provider", "=", "zoom")
      .where("external_user_id", "=", event.zoomUserId)
      .execute();
    const credentialIds = accounts.map((account) => account.credential_id);
    // The admin's connection shares its credential with their own account; `grant_user_id` finds it after that account
    // was unlinked.
    const connections = await db
      .selectFrom("connections")
      .selectAll()
      .where("provider", "=", "zoom")
      .where((eb) =>
        eb.or([
          eb("grant_user_id", "=", event.zoomUserId),
          ...(credentialIds.length > 0 ? [eb("credential_id", "in", credentialIds)] : []),
        ]),
      )
      .execute();
    const sharing = await accountsSharingConnections(db, "zoom", connections);
    const revoked = await revokeLinks(
      db,
      clock,
      { accounts: [...accounts, ...sharing], connections },
      { provider: "zoom", reason: "deauthorized", eventId: event.eventId },
    );
    return { duplicate: false, revoked };
  });
}

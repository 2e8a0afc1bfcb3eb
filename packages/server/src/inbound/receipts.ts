/**
 * Provider webhook deliveries already handled. Slack retries an event it got
 * no quick 200 for, Zoom retries too, and either may deliver twice anyway:
 * the receipt is written in the transaction that applies the event, so a
 * retry finds it and changes nothing, and a failed attempt leaves none.
 */
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";

/** Longer than any provider retries for (Slack: about an hour; Zoom: hours). */
const receiptRetentionMs = 7 * 24 * 3600_000;

/** False when this event was handled before. Call inside the transaction that applies it. */
export async function recordReceipt(db: DB, clock: Clock, provider: string, eventId: string): Promise<boolean> {
  const now = clock.now();
  const result = await db
    .insertInto("webhook_receipts")
    .values({ provider, event_id: eventId, received_at: now.toISOString() })
    .onConflict((conflict) => conflict.columns(["provider", "event_id"]).doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
  await db
    .deleteFrom("webhook_receipts")
    .where("received_at", "<", new Date(now.getTime() - receiptRetentionMs).toISOString())
    .execute();
  return true;
}

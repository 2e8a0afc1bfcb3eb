/**
 * What the interview saga's settled changes become (interviews/ports.ts,
 * `InterviewObserver`): the portal's webhook `interview.<kind>` and a Slack
 * DM to each interviewer with a Slack link, all written as outbox rows in the
 * saga's own transaction, so they exist if and only if the change does.
 *
 * Who is told what: on `scheduled` every interviewer; on `updated` the ones
 * added (as for a booking), the ones removed (that they are off it), and the
 * others when something they act on changed (the time, the title, the join
 * URL, the calendar link); on `cancelled` every interviewer of the interview
 * as it stood. A `failed` booking was never announced, so only the portal
 * hears of it.
 */
import type { InterviewView } from "@tsunagu/contract";
import type { Clock } from "../clock.ts";
import type { InterviewChange, InterviewObserver } from "../interviews/ports.ts";
import type { DB } from "../store/database.ts";
import { emitInterviewEvent } from "../webhooks/outbox.ts";
import { type InterviewNoticeKind, interviewNoticeText } from "./interview-message.ts";
import { findSlackRecipients } from "./recipients.ts";
import { queueSlackNotice } from "./slack-queue.ts";

export function createInterviewNotices(deps: { clock: Clock }): InterviewObserver {
  return {
    async record(trx, change) {
      await emitInterviewEvent(trx, deps.clock, {
        kind: change.kind,
        hostId: change.tenant.hostId,
        orgId: change.tenant.orgId,
        actorUserId: change.actorUserId,
        interview: change.interview,
        before: change.before,
      });
      await queueInterviewerNotices(trx, deps.clock, change);
    },
  };
}

async function queueInterviewerNotices(db: DB, clock: Clock, change: InterviewChange): Promise<void> {
  const told = whoIsTold(change);
  if (told.size === 0) return;
  const recipients = await findSlackRecipients(db, change.tenant, [...told.keys()]);
  const now = clock.now();
  for (const [userId, kind] of told) {
    const recipient = recipients.get(userId);
    if (!recipient) continue;
    const text = interviewNoticeText({
      kind,
      interview: change.interview,
      before: change.before,
      language: recipient.language,
      // The reader's zone, else the organiser's: the zone the event was made in.
      timeZone: recipient.timeZone ?? change.interview.timeZone,
      now,
    });
    await queueSlackNotice(db, clock, change.tenant, {
      userId,
      accountId: recipient.accountId,
      text,
      about: { kind: "interview", interviewId: change.interview.id, change: kind },
    });
  }
}

/** Each interviewer to tell, with what; insertion order is the interview's order of interviewers. */
export function whoIsTold(change: InterviewChange): Map<string, InterviewNoticeKind> {
  const told = new Map<string, InterviewNoticeKind>();
  const now = change.interview.interviewers.map((person) => person.userId);
  switch (change.kind) {
    case "failed":
      return told;
    case "scheduled":
      for (const userId of now) told.set(userId, "scheduled");
      return told;
    case "cancelled":
      for (const userId of change.before ? change.before.interviewers.map((p) => p.userId) : now)
        told.set(userId, "cancelled");
      for (const userId of now) told.set(userId, "cancelled");
      return told;
    case "updated": {
      const before = change.before;
      const was = new Set(before ? before.interviewers.map((person) => person.userId) : now);
      const kept = before ? updateKind(before, change.interview) : undefined;
      for (const userId of now) {
        if (!was.has(userId)) told.set(userId, "added");
        else if (kept) told.set(userId, kept);
      }
      for (const userId of was) if (!now.includes(userId)) told.set(userId, "removed");
      return told;
    }
  }
}

/** What the interviewers who stay on an updated interview are told: nothing when nothing they act on changed. */
function updateKind(before: InterviewView, after: InterviewView): InterviewNoticeKind | undefined {
  if (before.start !== after.start || before.end !== after.end) return "rescheduled";
  const joinUrl = (view: InterviewView) => view.zoom?.joinUrl ?? view.joinUrl;
  if (
    before.title !== after.title ||
    joinUrl(before) !== joinUrl(after) ||
    before.zoom?.passcode !== after.zoom?.passcode ||
    before.event?.webLink !== after.event?.webLink
  )
    return "changed";
  return undefined;
}

/**
 * Meetings made in Zoom itself, outside Tsunagu (someone scheduled one in the
 * Zoom app): tests add them here and see them in the user's upcoming list,
 * as Zoom would report them. Also lists every meeting the fake holds.
 *   POST /_control/meetings {userId, start, end, topic}   userId: a Zoom user id or email; ISO times
 *   GET  /_control/meetings                               {meetings:[{id, userId, start, end, topic}]}
 */
import { Hono } from "hono";
import { z } from "zod";
import { zoom as seed } from "../seed.ts";
import type { FakeMeeting, FakeMeetings } from "./meetings.ts";
import { controlError } from "./webhooks.ts";

const isoTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), "an ISO 8601 time");
const meetingControlBody = z.object({
  userId: z.string().min(1),
  start: isoTime,
  end: isoTime,
  topic: z.string().max(200).default("Zoom Meeting"),
});

export function zoomMeetingControlRoutes(meetings: FakeMeetings): Hono {
  const app = new Hono();

  app.post("/_control/meetings", async (c) => {
    const parsed = meetingControlBody.safeParse(await c.req.json().catch(() => ({})));
    if (!parsed.success)
      return controlError(c, 400, "invalid_control_request", "body must be {userId, start, end, topic} with ISO times");
    const { userId, topic } = parsed.data;
    const start = new Date(parsed.data.start);
    const minutes = Math.ceil((Date.parse(parsed.data.end) - start.getTime()) / 60_000);
    if (minutes <= 0) return controlError(c, 400, "invalid_control_request", "end must be after start");
    const wanted = userId.toLowerCase();
    const host = seed.users.find(
      (user) => user.id.toLowerCase() === wanted || user.person.email.toLowerCase() === wanted,
    );
    if (!host) return controlError(c, 404, "unknown_user", `no seeded Zoom user ${userId}`);
    return c.json(controlView(meetings.insert(host, { topic, start, duration: minutes })), 201);
  });

  app.get("/_control/meetings", (c) => c.json({ meetings: meetings.all().map(controlView) }));

  return app;
}

function controlView(meeting: FakeMeeting) {
  return {
    id: String(meeting.id),
    userId: meeting.host.id,
    start: meeting.start.toISOString(),
    end: new Date(meeting.start.getTime() + meeting.duration * 60_000).toISOString(),
    topic: meeting.topic,
  };
}

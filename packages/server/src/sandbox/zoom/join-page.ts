/**
 * The page a Zoom join URL opens (`/j/{meetingId}?pwd=…`), on the fake's own
 * origin as the join URLs it hands out are: there is no meeting to join in
 * the sandbox, and the page says which one the link is for, as the Google
 * fake's Meet page does. A link carried across a restart on other ports (in a
 * calendar event, say) opens it too: state-file.ts moves it with the fake.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { FakeMeetings } from "./meetings.ts";

export function zoomJoinPageRoutes(meetings: FakeMeetings): Hono {
  const app = new Hono();
  app.get("/j/:meetingId", (c) => {
    const meetingId = c.req.param("meetingId");
    const meeting = meetings.get(meetingId);
    const said = meeting
      ? html`Meeting ${meeting.id} (${meeting.topic}): nobody is here, this is the sandbox.`
      : html`The sandbox has no meeting ${meetingId}.`;
    return c.html(
      html`<!doctype html><html lang="en"><head><meta
        charset="utf-8" /><title>Zoom (sandbox)</title></head
        ><body><main><h1>Zoom (sandbox)</h1><p>${said}</p></main></body></html>`,
      meeting ? 200 : 404,
    );
  });
  return app;
}

/**
 * Zoom: who-am-I is GET /users/me; the unlink guard asks for the Zoom user's
 * upcoming meetings with the same client.
 */
import type { ZoomClient } from "../../providers/zoom.ts";
import type { AccountProbe } from "../probe.ts";
import type { HostedMeetings } from "../zoom-unlink-guard.ts";

export function zoomProbe(client: ZoomClient): AccountProbe {
  return {
    provider: "zoom",
    async whoAmI(accessToken) {
      const me = await client.api(accessToken).me();
      return { externalUserId: me.id, email: me.email };
    },
  };
}

export function zoomHostedMeetings(client: ZoomClient): HostedMeetings {
  return {
    async upcoming(accessToken, zoomUserId) {
      const meetings = await client.api(accessToken).listUpcoming(zoomUserId);
      return meetings.map((meeting) => ({
        id: meeting.id,
        topic: meeting.topic ?? null,
        start: meeting.start.toISOString(),
        end: new Date(meeting.start.getTime() + meeting.durationMinutes * 60_000).toISOString(),
      }));
    },
  };
}

/**
 * Zoom REST API v2 calls for one access token: who am I, the account's
 * users, and the meeting lifecycle (MeetingProvider).
 * https://developers.zoom.us/docs/api/users/ · https://developers.zoom.us/docs/api/meetings/
 */
import { randomInt } from "node:crypto";
import type { z } from "zod";
import { ProviderError } from "../errors.ts";
import type { HttpDeps } from "../http.ts";
import type { Meeting, MeetingInput, MeetingProvider } from "../types.ts";
import { zoomCall } from "./request.ts";
import {
  meetingListSchema,
  meetingSchema,
  userListSchema,
  userSchema,
  type ZoomMeetingAnswer,
  type ZoomUserAnswer,
} from "./schemas.ts";

/** What the API calls need from the quirks table in ../zoom.ts. */
export interface ZoomApiQuirks {
  pageSize: number;
  meetingGoneCode: string;
  /** The code Zoom answers a host change it will not make (`schedule_for` without scheduling privilege). */
  cannotScheduleForCode: string;
  passcode: { length: number; alphabet: string };
  meetingSettings: Record<string, unknown>;
}

export interface ZoomUser {
  id: string;
  accountId: string | undefined;
  email: string;
  /** 1 Basic, 2 Licensed, 99 None; other values exist. */
  type: number;
  roleName: string | undefined;
  roleId: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  displayName: string | undefined;
  /** The profile's company ("" or undefined when nobody set it): the Zoom account's name as far as an app can tell. */
  company: string | undefined;
  timeZone: string | undefined;
  status: string | undefined;
}

export interface ZoomMeeting extends Meeting {
  uuid: string;
  topic: string | undefined;
  agenda: string | undefined;
  timeZone: string | undefined;
}

export type UpcomingMeeting = Pick<Meeting, "id" | "hostId" | "joinUrl" | "start" | "durationMinutes"> & {
  topic?: string | undefined;
};

export interface ZoomApi extends MeetingProvider {
  /** GET /users/me. */
  me(): Promise<ZoomUser>;
  /** GET /users, every page. Needs `user:read:list_users:admin` (admin-managed app). */
  listUsers(): Promise<ZoomUser[]>;
  /** GET /meetings/{meetingId}. */
  getMeeting(meetingId: string): Promise<ZoomMeeting>;
  createMeeting(zoomUserId: string, meeting: MeetingInput): Promise<ZoomMeeting>;
  listUpcoming(zoomUserId: string): Promise<UpcomingMeeting[]>;
  /**
   * PATCH /meetings/{meetingId} with `schedule_for`: makes another Zoom user the host of the same meeting.
   * False when Zoom will not (the caller lacks scheduling privilege for that user; not every plan or role allows it).
   */
  changeHost(meetingId: string, zoomUserId: string): Promise<boolean>;
}

export function createZoomApi(deps: HttpDeps, apiBaseUrl: string, accessToken: string, quirks: ZoomApiQuirks): ZoomApi {
  const authorization = `Bearer ${accessToken}`;
  const base = apiBaseUrl.endsWith("/") ? apiBaseUrl : `${apiBaseUrl}/`;
  const url = (path: string, query: Record<string, string | undefined> = {}) => {
    const target = new URL(path, base);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(name, value);
    return target;
  };
  const userPath = (zoomUserId: string) => `users/${encodeURIComponent(zoomUserId)}`;
  const meetingPath = (meetingId: string) => `meetings/${encodeURIComponent(meetingId)}`;

  /** Follows `next_page_token` until Zoom returns an empty one. */
  async function allPages<T, S extends { next_page_token?: string | undefined }>(
    path: string,
    query: Record<string, string>,
    schema: z.ZodType<S>,
    items: (page: S) => T[],
  ): Promise<T[]> {
    const out: T[] = [];
    let pageToken: string | undefined;
    do {
      const page = await zoomCall(deps, {
        url: url(path, { ...query, page_size: String(quirks.pageSize), next_page_token: pageToken }),
        authorization,
        schema,
        kind: "safe",
      });
      out.push(...items(page));
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  return {
    async me() {
      return toUser(await zoomCall(deps, { url: url("users/me"), authorization, schema: userSchema, kind: "safe" }));
    },
    listUsers: () => allPages("users", { status: "active" }, userListSchema, (page) => page.users.map(toUser)),
    async getMeeting(meetingId) {
      return toMeeting(
        await zoomCall(deps, { url: url(meetingPath(meetingId)), authorization, schema: meetingSchema, kind: "safe" }),
      );
    },
    async createMeeting(zoomUserId, meeting) {
      const body = {
        ...meetingFields(meeting),
        type: 2, // scheduled
        password: passcode(quirks.passcode),
        settings: {
          ...quirks.meetingSettings,
          ...(meeting.waitingRoom !== undefined && { waiting_room: meeting.waitingRoom }),
        },
      };
      // Not repeated after a 5xx: Zoom may have created the meeting already.
      return toMeeting(
        await zoomCall(deps, {
          url: url(`${userPath(zoomUserId)}/meetings`),
          method: "POST",
          authorization,
          body,
          schema: meetingSchema,
          kind: "create",
        }),
      );
    },
    async updateMeeting(meetingId, changes) {
      await zoomCall(deps, {
        url: url(meetingPath(meetingId)),
        method: "PATCH",
        authorization,
        body: meetingFields(changes),
        schema: null,
        kind: "safe",
      });
    },
    async deleteMeeting(meetingId) {
      try {
        await zoomCall(deps, {
          url: url(meetingPath(meetingId)),
          method: "DELETE",
          authorization,
          schema: null,
          kind: "safe",
        });
      } catch (error) {
        // 404 code 3001 "Meeting does not exist": it is already gone, which is what the caller wants.
        if (error instanceof ProviderError && error.status === 404 && error.code === quirks.meetingGoneCode) return;
        throw error;
      }
    },
    async changeHost(meetingId, zoomUserId) {
      try {
        await zoomCall(deps, {
          url: url(meetingPath(meetingId)),
          method: "PATCH",
          authorization,
          body: { schedule_for: zoomUserId },
          schema: null,
          kind: "safe",
        });
        return true;
      } catch (error) {
        // 400 {"code":3000,"message":"You cannot schedule a meeting for …"}:
        // https://devforum.zoom.us/t/changing-meeting-hosts/88501
        if (error instanceof ProviderError && error.status === 400 && error.code === quirks.cannotScheduleForCode)
          return false;
        throw error;
      }
    },
    listUpcoming: (zoomUserId) =>
      allPages(`${userPath(zoomUserId)}/meetings`, { type: "upcoming" }, meetingListSchema, (page) =>
        page.meetings.flatMap((meeting) =>
          // A recurring meeting with no fixed time occupies no slot.
          meeting.start_time === undefined
            ? []
            : [
                {
                  id: String(meeting.id),
                  hostId: meeting.host_id,
                  topic: meeting.topic,
                  joinUrl: meeting.join_url,
                  start: new Date(meeting.start_time),
                  durationMinutes: meeting.duration ?? 0,
                },
              ],
        ),
      ),
  };
}

/**
 * `start_time` goes as UTC with a `Z` ("yyyy-MM-ddTHH:mm:ssZ"), which Zoom
 * takes as GMT whatever `timezone` says; `timezone` is still sent so Zoom
 * shows the meeting in the organiser's zone. The alternative (local time plus
 * `timezone`) would need our own zone arithmetic for no gain.
 * https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings
 */
function meetingFields(input: Partial<MeetingInput>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (input.topic !== undefined) fields.topic = input.topic;
  if (input.agenda !== undefined) fields.agenda = input.agenda;
  if (input.start !== undefined) fields.start_time = input.start.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (input.durationMinutes !== undefined) fields.duration = input.durationMinutes;
  if (input.timeZone !== undefined) fields.timezone = input.timeZone;
  return fields;
}

/**
 * A fresh passcode per meeting. Zoom takes up to 10 of `a-z A-Z 0-9 @ - _ *`;
 * accounts may also demand letters and digits, so it always has both.
 */
function passcode({ length, alphabet }: ZoomApiQuirks["passcode"]): string {
  for (;;) {
    const candidate = Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
    if (/[A-Za-z]/.test(candidate) && /\d/.test(candidate)) return candidate;
  }
}

function toUser(user: ZoomUserAnswer): ZoomUser {
  return {
    id: user.id,
    accountId: user.account_id,
    email: user.email,
    type: user.type,
    roleName: user.role_name,
    roleId: user.role_id,
    firstName: user.first_name,
    lastName: user.last_name,
    displayName: user.display_name,
    company: user.company,
    timeZone: user.timezone,
    status: user.status,
  };
}

function toMeeting(meeting: ZoomMeetingAnswer): ZoomMeeting {
  return {
    // Zoom meeting ids are 9–11 digit numbers: safe as JSON numbers, kept as strings on our side.
    id: String(meeting.id),
    uuid: meeting.uuid,
    hostId: meeting.host_id,
    topic: meeting.topic,
    agenda: meeting.agenda,
    joinUrl: meeting.join_url,
    startUrl: meeting.start_url,
    password: meeting.password,
    start: new Date(meeting.start_time),
    durationMinutes: meeting.duration,
    timeZone: meeting.timezone,
  };
}

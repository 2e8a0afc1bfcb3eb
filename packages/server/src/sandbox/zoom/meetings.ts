/**
 * The fake's meetings: what create/update accept, how Zoom reads
 * `start_time`, the per-user daily create/update cap, and the JSON Zoom
 * answers with. Overlapping meetings are accepted: Zoom's concurrency limit
 * applies when meetings run, not when they are scheduled
 * (https://support.zoom.com/hc/en/article?id=zm_kb&sysparm_article=KB0068522).
 */
import { randomBytes, randomInt } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../clock.ts";
import { savedTime, savedTimeZone } from "../memory.ts";
import type { SeedZoomUser } from "../seed.ts";
import { zoomUser } from "./grants.ts";

export interface FakeMeeting {
  id: number;
  uuid: string;
  host: SeedZoomUser;
  topic: string;
  type: z.infer<typeof meetingType>;
  start: Date;
  duration: number;
  timezone: string;
  agenda: string;
  password: string;
  createdAt: Date;
  settings: Record<string, unknown>;
  zak: string;
}

const timeZoneName = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "Invalid timezone.");

/** Instant, scheduled, recurring without and with a fixed time, screen share only. */
const meetingType = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(8), z.literal(10)]);

/** https://developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings (request body). */
export const meetingBody = z.looseObject({
  topic: z.string().max(200).optional(),
  type: meetingType.optional(),
  start_time: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/, "Invalid start_time.")
    .optional(),
  duration: z
    .number()
    .int()
    .min(0)
    .max(24 * 60 * 31)
    .optional(),
  timezone: timeZoneName.optional(),
  password: z
    .string()
    .max(10)
    .regex(/^[A-Za-z0-9@_*-]*$/, "Passcode may only contain a-z A-Z 0-9 @ - _ *.")
    .optional(),
  agenda: z.string().max(2000).optional(),
  /** PATCH only: the Zoom user to make the host. */
  schedule_for: z.string().min(1).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
export type MeetingBody = z.infer<typeof meetingBody>;

/** Settings Zoom fills in when the request leaves them out (a subset). */
const defaultSettings = {
  host_video: false,
  participant_video: false,
  join_before_host: false,
  mute_upon_entry: false,
  waiting_room: false,
  approval_type: 2,
  audio: "both",
  auto_recording: "none",
};

/**
 * "yyyy-MM-ddTHH:mm:ssZ" is GMT; without `Z` it is local time in `timezone`
 * (the host's zone when absent).
 */
export function readStartTime(startTime: string, timeZone: string): Date {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(startTime)) return new Date(startTime);
  const asUtc = Date.parse(`${startTime}Z`);
  // Two passes settle the offset across a DST change.
  let guess = asUtc - offsetMs(asUtc, timeZone);
  guess = asUtc - offsetMs(guess, timeZone);
  return new Date(guess);
}

function offsetMs(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(at / 1000) * 1000;
}

export const zoomTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** What `save` gives: every meeting, its host by Zoom user id, and today's API writes per user. */
export const savedMeetings = z.object({
  meetings: z.array(
    z.object({
      id: z.number().int().positive(),
      uuid: z.string(),
      host: zoomUser,
      topic: z.string(),
      type: meetingType,
      start: savedTime,
      duration: z.number().int().min(0),
      timezone: savedTimeZone,
      agenda: z.string(),
      password: z.string(),
      createdAt: savedTime,
      settings: z.record(z.string(), z.unknown()),
      zak: z.string(),
    }),
  ),
  writes: z.record(z.string(), z.number().int().min(0)),
});

export class FakeMeetings {
  private readonly meetings = new Map<number, FakeMeeting>();
  /** `${zoomUserId}:${yyyy-mm-dd UTC}` → meeting creates and updates that day. */
  private readonly writes = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    /** https://developers.zoom.us/docs/api/rate-limits/ : 100 create/update requests per user per day. */
    readonly dailyWriteLimit = 100,
  ) {}

  get(id: string): FakeMeeting | undefined {
    return /^\d+$/.test(id) ? this.meetings.get(Number(id)) : undefined;
  }

  hostedBy(zoomUserId: string): FakeMeeting[] {
    return [...this.meetings.values()]
      .filter((meeting) => meeting.host.id === zoomUserId)
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  /** When the user has used up today's creates and updates: the next 00:00 UTC, else undefined. */
  dailyLimitResetsAt(zoomUserId: string): Date | undefined {
    const now = this.clock.now();
    if ((this.writes.get(dayKey(zoomUserId, now)) ?? 0) < this.dailyWriteLimit) return undefined;
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  }

  create(host: SeedZoomUser, body: MeetingBody): FakeMeeting {
    this.countWrite(host.id);
    return this.store(host, body);
  }

  /** A meeting made in Zoom itself (its app or web portal): no API request, so not under the daily API cap. */
  insert(host: SeedZoomUser, fields: { topic: string; start: Date; duration: number }): FakeMeeting {
    return this.store(host, { topic: fields.topic, start_time: zoomTime(fields.start), duration: fields.duration });
  }

  all(): FakeMeeting[] {
    return [...this.meetings.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  private store(host: SeedZoomUser, body: MeetingBody): FakeMeeting {
    const timezone = body.timezone ?? host.person.timeZone;
    let id = randomInt(80_000_000_000, 99_999_999_999);
    while (this.meetings.has(id)) id = randomInt(80_000_000_000, 99_999_999_999);
    const meeting: FakeMeeting = {
      id,
      uuid: randomBytes(16).toString("base64"),
      host,
      topic: body.topic ?? "Zoom Meeting",
      type: body.type ?? 2,
      start: body.start_time ? readStartTime(body.start_time, timezone) : this.clock.now(),
      duration: body.duration ?? 60,
      timezone,
      agenda: body.agenda ?? "",
      password: body.password ?? String(randomInt(100000, 999999)),
      createdAt: this.clock.now(),
      settings: { ...defaultSettings, ...body.settings },
      zak: randomBytes(24).toString("base64url"),
    };
    this.meetings.set(id, meeting);
    return meeting;
  }

  update(meeting: FakeMeeting, body: MeetingBody): void {
    this.countWrite(meeting.host.id);
    if (body.timezone !== undefined) meeting.timezone = body.timezone;
    if (body.topic !== undefined) meeting.topic = body.topic;
    if (body.type !== undefined) meeting.type = body.type;
    if (body.start_time !== undefined) meeting.start = readStartTime(body.start_time, meeting.timezone);
    if (body.duration !== undefined) meeting.duration = body.duration;
    if (body.agenda !== undefined) meeting.agenda = body.agenda;
    if (body.password !== undefined) meeting.password = body.password;
    if (body.settings !== undefined) meeting.settings = { ...meeting.settings, ...body.settings };
  }

  delete(meeting: FakeMeeting): void {
    this.meetings.delete(meeting.id);
  }

  save(): z.input<typeof savedMeetings> {
    return {
      meetings: this.all().map((meeting) => ({
        ...meeting,
        host: meeting.host.id,
        start: meeting.start.toISOString(),
        createdAt: meeting.createdAt.toISOString(),
      })),
      // Only today's count is ever read (dailyLimitResetsAt).
      writes: Object.fromEntries(
        [...this.writes].filter(([key]) => key.endsWith(`:${this.clock.now().toISOString().slice(0, 10)}`)),
      ),
    };
  }

  load(saved: z.output<typeof savedMeetings>): void {
    this.clear();
    for (const meeting of saved.meetings) this.meetings.set(meeting.id, meeting);
    for (const [key, count] of Object.entries(saved.writes)) this.writes.set(key, count);
  }

  clear(): void {
    this.meetings.clear();
    this.writes.clear();
  }

  private countWrite(zoomUserId: string): void {
    const key = dayKey(zoomUserId, this.clock.now());
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
  }
}

const dayKey = (zoomUserId: string, now: Date) => `${zoomUserId}:${now.toISOString().slice(0, 10)}`;

/** The full meeting, as create (201) and GET /meetings/{id} answer. */
export function meetingJson(meeting: FakeMeeting, baseUrl: string): Record<string, unknown> {
  const encrypted = Buffer.from(`${meeting.id}:${meeting.password}`).toString("base64url");
  return {
    uuid: meeting.uuid,
    id: meeting.id,
    host_id: meeting.host.id,
    host_email: meeting.host.person.email,
    topic: meeting.topic,
    type: meeting.type,
    status: "waiting",
    start_time: zoomTime(meeting.start),
    duration: meeting.duration,
    timezone: meeting.timezone,
    agenda: meeting.agenda,
    created_at: zoomTime(meeting.createdAt),
    start_url: `${baseUrl}/s/${meeting.id}?zak=${meeting.zak}`,
    join_url: `${baseUrl}/j/${meeting.id}?pwd=${encrypted}`,
    password: meeting.password,
    h323_password: meeting.password.replace(/\D/g, "").padEnd(6, "0").slice(0, 10),
    pstn_password: meeting.password.replace(/\D/g, "").padEnd(6, "0").slice(0, 10),
    encrypted_password: encrypted,
    settings: meeting.settings,
    pre_schedule: false,
  };
}

/** A list item of GET /users/{userId}/meetings. */
export function meetingListItem(meeting: FakeMeeting, baseUrl: string): Record<string, unknown> {
  const full = meetingJson(meeting, baseUrl);
  return Object.fromEntries(
    [
      "uuid",
      "id",
      "host_id",
      "topic",
      "type",
      "start_time",
      "duration",
      "timezone",
      "agenda",
      "created_at",
      "join_url",
    ].map((key) => [key, full[key]]),
  );
}

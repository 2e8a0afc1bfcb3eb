/**
 * The events created through the fake's Calendar API, per owner's calendar.
 * Google's rules kept: client ids must be base32hex, a taken id is a 409, a
 * patch changes only the fields sent (objects merge, arrays replace), a delete
 * leaves the event readable as `cancelled`, and conference data is honoured
 * only with conferenceDataVersion=1.
 * https://developers.google.com/workspace/calendar/api/v3/reference/events
 */
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../clock.ts";
import { savedDateTimeText, savedTime, savedTimeZone, seedReference } from "../memory.ts";
import { findAccount, type GoogleAccount } from "./accounts.ts";
import { formatInZone } from "./envelope.ts";

export type EventResource = Record<string, unknown> & { id: string; status: string };

export interface StoredEvent {
  owner: GoogleAccount;
  resource: EventResource;
  start: Date;
  end: Date;
}

export type EventFailure = { status: 400 | 409; reason: string; message: string; location?: string };

/** Set by the server, never by the body
 * (https://developers.google.com/workspace/calendar/api/v3/reference/events#resource). */
const readOnlyFields = new Set([
  "kind",
  "etag",
  "htmlLink",
  "created",
  "updated",
  "creator",
  "organizer",
  "iCalUID",
  "hangoutLink",
  "sequence",
]);

/** An event's start or end as `settle` writes it: a time with its offset, and the zone it was given in. */
const savedEventTime = z.looseObject({ dateTime: savedDateTimeText, timeZone: savedTimeZone.optional() });

/**
 * An event as the fake answers with it: the fields it reads itself and those Tsunagu's client reads, checked; any
 * other field the client sent is kept as it is, as Google keeps it.
 */
const savedResource = z.looseObject({
  id: z.string().regex(/^[a-v0-9]{5,1024}$/, "not an event id Google gives (5 or more of a-v and 0-9)"),
  status: z.enum(["confirmed", "tentative", "cancelled"]),
  start: savedEventTime,
  end: savedEventTime,
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  htmlLink: z.url().optional(),
  hangoutLink: z.url().optional(),
  transparency: z.enum(["opaque", "transparent"]).optional(),
  sequence: z.number().int().min(0).optional(),
  attendees: z.array(z.looseObject({ email: z.string(), responseStatus: z.string().optional() })).optional(),
});

/** What `save` gives: every event with its calendar's owner (by address), and the last etag handed out. */
export const savedGoogleEvents = z.object({
  etag: z.number().int().min(0),
  events: z.array(
    z
      .object({
        owner: seedReference("Google account", findAccount),
        resource: savedResource,
        start: savedTime,
        end: savedTime,
      })
      // The fake answers with the resource's times and finds busy times by these: an edit must change both alike.
      .superRefine((event, context) => {
        // Zod runs this even when a field failed above: only times that were read are compared.
        const read = (value: unknown): value is Date => value instanceof Date;
        for (const edge of ["start", "end"] as const) {
          const written = (event.resource[edge] as { dateTime?: unknown } | undefined)?.dateTime;
          const instant = typeof written === "string" ? Date.parse(written) : Number.NaN;
          if (read(event[edge]) && !Number.isNaN(instant) && instant !== event[edge].getTime())
            context.addIssue({
              code: "custom",
              path: ["resource", edge, "dateTime"],
              message: `is not the instant the event's ${edge} says (${event[edge].toISOString()}); change both alike`,
            });
        }
        if (read(event.start) && read(event.end) && event.end <= event.start)
          context.addIssue({ code: "custom", path: ["end"], message: "is not after the event's start" });
      }),
  ),
});

export class GoogleEvents {
  private readonly calendars = new Map<string, Map<string, StoredEvent>>();
  private etag = 0;

  constructor(
    private readonly clock: Clock,
    private readonly baseUrl: () => string,
  ) {}

  get(owner: GoogleAccount, eventId: string): StoredEvent | undefined {
    return this.calendars.get(owner.email)?.get(eventId);
  }

  insert(
    owner: GoogleAccount,
    body: Record<string, unknown>,
    conferenceDataVersion: number,
  ): StoredEvent | EventFailure {
    const id = typeof body.id === "string" ? body.id : randomBytes(13).toString("hex");
    if (!/^[a-v0-9]{5,1024}$/.test(id))
      return { status: 400, reason: "invalid", message: "Invalid resource id value.", location: "id" };
    const calendar = this.calendars.get(owner.email) ?? new Map<string, StoredEvent>();
    if (calendar.has(id))
      return { status: 409, reason: "duplicate", message: "The requested identifier already exists." };
    const now = this.clock.now().toISOString();
    const resource: EventResource = {
      ...writable(body),
      kind: "calendar#event",
      id,
      status: typeof body.status === "string" ? body.status : "confirmed",
      htmlLink: `${this.baseUrl()}/calendar/event?eid=${Buffer.from(`${id} ${owner.email}`).toString("base64url")}`,
      created: now,
      creator: { email: owner.email, self: true },
      organizer: { email: owner.email, self: true },
      iCalUID: `${id}@google.com`,
      sequence: 0,
      reminders: { useDefault: true },
      eventType: "default",
    };
    const checked = this.settle(owner, resource, conferenceDataVersion);
    if ("reason" in checked) return checked;
    calendar.set(id, checked);
    this.calendars.set(owner.email, calendar);
    return checked;
  }

  patch(stored: StoredEvent, body: Record<string, unknown>, conferenceDataVersion: number): StoredEvent | EventFailure {
    const before = stored.resource;
    const merged = deepMerge(before, writable(body)) as EventResource;
    const timesChanged = "start" in body || "end" in body;
    const checked = this.settle(
      stored.owner,
      { ...merged, sequence: Number(before.sequence ?? 0) + (timesChanged ? 1 : 0) },
      conferenceDataVersion,
      before,
    );
    if ("reason" in checked) return checked;
    this.calendars.get(stored.owner.email)?.set(checked.resource.id, checked);
    return checked;
  }

  /** Every event the fake holds, cancelled ones included (the control API's listing). */
  all(): StoredEvent[] {
    return [...this.calendars.values()].flatMap((calendar) => [...calendar.values()]);
  }

  /** False when the event was already deleted (Google answers 410 then). */
  cancel(stored: StoredEvent): boolean {
    if (stored.resource.status === "cancelled") return false;
    stored.resource = {
      ...stored.resource,
      status: "cancelled",
      updated: this.clock.now().toISOString(),
      etag: this.nextEtag(),
    };
    return true;
  }

  /** Events that make `email` busy: theirs, and those they were invited to and did not decline. */
  busyFor(email: string): Array<{ start: Date; end: Date }> {
    const out: Array<{ start: Date; end: Date }> = [];
    for (const calendar of this.calendars.values()) {
      for (const event of calendar.values()) {
        if (event.resource.status === "cancelled" || event.resource.transparency === "transparent") continue;
        const attendees = Array.isArray(event.resource.attendees)
          ? (event.resource.attendees as Array<{ email?: string; responseStatus?: string }>)
          : [];
        const invited = attendees.some(
          (attendee) => attendee.email?.toLowerCase() === email && attendee.responseStatus !== "declined",
        );
        if (event.owner.email === email || invited) out.push({ start: event.start, end: event.end });
      }
    }
    return out;
  }

  save(): z.input<typeof savedGoogleEvents> {
    return {
      etag: this.etag,
      events: this.all().map((event) => ({
        owner: event.owner.email,
        // Settled (`settle`): its start and end are written.
        resource: event.resource as z.input<typeof savedResource>,
        start: event.start.toISOString(),
        end: event.end.toISOString(),
      })),
    };
  }

  load(saved: z.output<typeof savedGoogleEvents>): void {
    this.reset();
    this.etag = saved.etag;
    for (const event of saved.events) {
      const calendar = this.calendars.get(event.owner.email) ?? new Map<string, StoredEvent>();
      calendar.set(event.resource.id, event);
      this.calendars.set(event.owner.email, calendar);
    }
  }

  reset(): void {
    this.calendars.clear();
  }

  /** Checks the times, normalises attendees and conference data, and stamps the change. */
  private settle(
    owner: GoogleAccount,
    resource: EventResource,
    conferenceDataVersion: number,
    before?: EventResource,
  ): StoredEvent | EventFailure {
    const start = readTime(resource.start);
    const end = readTime(resource.end);
    if (!start) return { status: 400, reason: "required", message: "Missing start time.", location: "start" };
    if (!end) return { status: 400, reason: "required", message: "Missing end time.", location: "end" };
    if (end.date <= start.date)
      return { status: 400, reason: "timeRangeEmpty", message: "The specified time range is empty.", location: "end" };
    const out: EventResource = { ...resource, updated: this.clock.now().toISOString(), etag: this.nextEtag() };
    out.start = {
      dateTime: formatInZone(start.date, start.timeZone),
      ...(start.timeZone && { timeZone: start.timeZone }),
    };
    out.end = { dateTime: formatInZone(end.date, end.timeZone), ...(end.timeZone && { timeZone: end.timeZone }) };
    if (Array.isArray(resource.attendees))
      out.attendees = normaliseAttendees(owner, resource.attendees, before?.attendees);
    // Without conferenceDataVersion=1 the body's conferenceData is ignored (the default version is 0).
    if (conferenceDataVersion >= 1) applyConference(out, this.baseUrl());
    else if (before) out.conferenceData = before.conferenceData;
    else delete out.conferenceData;
    if (out.conferenceData === undefined) delete out.conferenceData;
    return { owner, resource: out, start: start.date, end: end.date };
  }

  private nextEtag(): string {
    this.etag += 1;
    return `"${3_400_000_000_000_000 + this.etag}"`;
  }
}

function writable(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !readOnlyFields.has(key) && key !== "id"));
}

function readTime(value: unknown): { date: Date; timeZone: string | undefined } | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { dateTime, timeZone } = value as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== "string") return undefined;
  const date = new Date(dateTime);
  return Number.isNaN(date.getTime())
    ? undefined
    : { date, timeZone: typeof timeZone === "string" ? timeZone : undefined };
}

function normaliseAttendees(owner: GoogleAccount, attendees: unknown[], previous: unknown): unknown[] {
  const known = new Map(
    (Array.isArray(previous) ? (previous as Array<{ email: string; responseStatus?: string }>) : []).map((attendee) => [
      attendee.email,
      attendee.responseStatus,
    ]),
  );
  return attendees
    .filter(
      (attendee): attendee is { email: string } =>
        typeof attendee === "object" &&
        attendee !== null &&
        typeof (attendee as { email?: unknown }).email === "string",
    )
    .map((attendee) => {
      const email = attendee.email.toLowerCase();
      const isOrganiser = email === owner.email;
      return {
        ...attendee,
        email,
        ...(isOrganiser && { organizer: true, self: true }),
        responseStatus: known.get(email) ?? (isOrganiser ? "accepted" : "needsAction"),
      };
    });
}

/** A Meet conference for a pending createRequest, on the fake's own origin so nothing leaves the sandbox. */
function applyConference(resource: EventResource, baseUrl: string): void {
  const data = resource.conferenceData as
    | { createRequest?: { requestId?: string; status?: unknown }; conferenceId?: string }
    | undefined;
  if (!data?.createRequest || data.conferenceId) return;
  const chars = Array.from(randomBytes(10), (byte) => String.fromCharCode(97 + (byte % 26)));
  const meetingCode = `${chars.slice(0, 3).join("")}-${chars.slice(3, 7).join("")}-${chars.slice(7, 10).join("")}`;
  const uri = `${baseUrl}/meet/${meetingCode}`;
  resource.hangoutLink = uri;
  resource.conferenceData = {
    createRequest: {
      requestId: data.createRequest.requestId ?? randomUUID(),
      conferenceSolutionKey: { type: "hangoutsMeet" },
      status: { statusCode: "success" },
    },
    entryPoints: [{ entryPointType: "video", uri, label: uri.replace(/^https?:\/\//, "") }],
    conferenceSolution: { key: { type: "hangoutsMeet" }, name: "Google Meet" },
    conferenceId: meetingCode,
  };
}

function deepMerge(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(target) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch))
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

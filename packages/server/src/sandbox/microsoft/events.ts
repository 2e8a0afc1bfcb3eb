/**
 * Outlook calendars of the fake tenant: events created through Graph, kept
 * per organiser mailbox, rendered the way Graph renders an event.
 * https://learn.microsoft.com/graph/api/resources/event
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { savedTime, seedReference } from "../memory.ts";
import { type DirectoryAccount, findAccount } from "./directory.ts";
import { formatWallClock, resolveZone } from "./time.ts";

const showAs = z.enum(["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"]);

/** A zone name Graph accepts (Windows or IANA), as an event keeps the one it was given. */
const savedZoneName = z.string().refine((name) => resolveZone(name) !== undefined, "not a time zone Graph knows");

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string() });

/** The event properties the fake understands; others are accepted and ignored, as Graph ignores read-only ones. */
export const eventInput = z.object({
  subject: z.string().optional(),
  body: z.object({ contentType: z.string().optional(), content: z.string().optional() }).optional(),
  start: dateTimeTimeZone.optional(),
  end: dateTimeTimeZone.optional(),
  location: z.object({ displayName: z.string().optional() }).optional(),
  attendees: z
    .array(
      z.object({
        emailAddress: z.object({ address: z.string(), name: z.string().optional() }),
        type: z.enum(["required", "optional", "resource"]).optional(),
      }),
    )
    .optional(),
  isOnlineMeeting: z.boolean().optional(),
  // A create repeated with the same transactionId does not make a second event.
  // https://learn.microsoft.com/graph/api/resources/event (transactionId)
  transactionId: z.string().max(200).optional(),
  onlineMeetingProvider: z.string().optional(),
  showAs: showAs.optional(),
});
export type EventInput = z.infer<typeof eventInput>;

export interface StoredEvent {
  id: string;
  owner: DirectoryAccount;
  subject: string;
  body: { contentType: string; content: string };
  start: Date;
  end: Date;
  startZone: string;
  endZone: string;
  location: string;
  attendees: Array<{ address: string; name: string | undefined; type: "required" | "optional" | "resource" }>;
  isOnlineMeeting: boolean;
  joinUrl: string | undefined;
  showAs: z.infer<typeof showAs>;
  transactionId: string | undefined;
  iCalUId: string;
  changeKey: string;
  created: Date;
  modified: Date;
}

/** What `save` gives: every event, its organiser by object id, times as ISO strings. */
export const savedEventStore = z.array(
  z.object({
    id: z.string(),
    owner: seedReference("Entra account", findAccount),
    subject: z.string(),
    body: z.object({ contentType: z.string(), content: z.string() }),
    start: savedTime,
    end: savedTime,
    startZone: savedZoneName,
    endZone: savedZoneName,
    location: z.string(),
    attendees: z.array(
      z.object({
        address: z.string(),
        name: z.string().optional(),
        type: z.enum(["required", "optional", "resource"]),
      }),
    ),
    isOnlineMeeting: z.boolean(),
    joinUrl: z.url().optional(),
    showAs: showAs,
    transactionId: z.string().optional(),
    iCalUId: z.string(),
    changeKey: z.string(),
    created: savedTime,
    modified: savedTime,
  }),
);

export class EventStore {
  private readonly events = new Map<string, StoredEvent>();

  create(
    owner: DirectoryAccount,
    input: EventInput,
    times: { start: Date; end: Date; startZone: string; endZone: string },
    now: Date,
    origin: string,
  ): StoredEvent {
    const repeated =
      input.transactionId &&
      [...this.events.values()].find(
        (event) => event.owner.oid === owner.oid && event.transactionId === input.transactionId,
      );
    if (repeated) return repeated;
    const id = `AAMkAG${randomBytes(48).toString("base64url")}=`;
    const event: StoredEvent = {
      id,
      owner,
      subject: input.subject ?? "",
      body: {
        contentType: input.body?.contentType?.toLowerCase() === "html" ? "html" : "text",
        content: input.body?.content ?? "",
      },
      ...times,
      location: input.location?.displayName ?? "",
      attendees: (input.attendees ?? []).map(({ emailAddress, type }) => ({
        address: emailAddress.address,
        name: emailAddress.name,
        type: type ?? "required",
      })),
      isOnlineMeeting: input.isOnlineMeeting ?? false,
      // A Teams-shaped link on the fake's own origin: nothing real should be reachable from the sandbox.
      joinUrl: input.isOnlineMeeting
        ? `${origin}/l/meetup-join/19%3ameeting_${randomBytes(24).toString("base64url")}%40thread.v2/0`
        : undefined,
      showAs: input.showAs ?? "busy",
      transactionId: input.transactionId,
      iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(28).toString("hex").toUpperCase()}`,
      changeKey: randomBytes(18).toString("base64"),
      created: now,
      modified: now,
    };
    this.events.set(id, event);
    return event;
  }

  get(owner: DirectoryAccount, id: string): StoredEvent | undefined {
    const event = this.events.get(id);
    return event?.owner.oid === owner.oid ? event : undefined;
  }

  /** PATCH semantics: only the properties sent change. */
  update(
    event: StoredEvent,
    input: EventInput,
    times: { start?: Date; end?: Date; startZone?: string; endZone?: string },
    now: Date,
    origin: string,
  ): StoredEvent {
    if (input.subject !== undefined) event.subject = input.subject;
    if (input.body)
      event.body = {
        contentType: input.body.contentType?.toLowerCase() === "html" ? "html" : "text",
        content: input.body.content ?? "",
      };
    if (input.location) event.location = input.location.displayName ?? "";
    if (input.attendees)
      event.attendees = input.attendees.map(({ emailAddress, type }) => ({
        address: emailAddress.address,
        name: emailAddress.name,
        type: type ?? "required",
      }));
    if (input.showAs) event.showAs = input.showAs;
    if (input.isOnlineMeeting !== undefined) {
      event.isOnlineMeeting = input.isOnlineMeeting;
      event.joinUrl = input.isOnlineMeeting
        ? (event.joinUrl ??
          `${origin}/l/meetup-join/19%3ameeting_${randomBytes(24).toString("base64url")}%40thread.v2/0`)
        : undefined;
    }
    Object.assign(event, times);
    event.changeKey = randomBytes(18).toString("base64");
    event.modified = now;
    return event;
  }

  delete(owner: DirectoryAccount, id: string): boolean {
    if (!this.get(owner, id)) return false;
    return this.events.delete(id);
  }

  /** Events on a mailbox's calendar: those it organises and those it was invited to. */
  onCalendarOf(address: string): Array<{ event: StoredEvent; organiser: boolean }> {
    const wanted = address.toLowerCase();
    const out: Array<{ event: StoredEvent; organiser: boolean }> = [];
    for (const event of this.events.values()) {
      if (event.owner.userPrincipalName.toLowerCase() === wanted) out.push({ event, organiser: true });
      else if (event.attendees.some((attendee) => attendee.address.toLowerCase() === wanted))
        out.push({ event, organiser: false });
    }
    return out;
  }

  /** Every event the fake holds (the control API's listing). */
  all(): StoredEvent[] {
    return [...this.events.values()];
  }

  save(): z.input<typeof savedEventStore> {
    return this.all().map((event) => ({
      ...event,
      owner: event.owner.oid,
      start: event.start.toISOString(),
      end: event.end.toISOString(),
      created: event.created.toISOString(),
      modified: event.modified.toISOString(),
    }));
  }

  load(saved: z.output<typeof savedEventStore>): void {
    this.reset();
    for (const event of saved) {
      this.events.set(event.id, {
        ...event,
        attendees: event.attendees.map(({ address, name, type }) => ({ address, name, type })),
        joinUrl: event.joinUrl,
        transactionId: event.transactionId,
      });
    }
  }

  reset(): void {
    this.events.clear();
  }
}

/** Graph's JSON for an event, times in the zone the caller prefers. */
export function renderEvent(
  event: StoredEvent,
  zone: { zone: string; name: string },
  origin: string,
): Record<string, unknown> {
  const organizer = { emailAddress: { name: event.owner.person.name, address: event.owner.userPrincipalName } };
  const location = {
    displayName: event.location,
    locationType: "default",
    uniqueIdType: "unknown",
    address: {},
    coordinates: {},
  };
  return {
    "@odata.etag": `W/"${event.changeKey}"`,
    id: event.id,
    createdDateTime: event.created.toISOString(),
    lastModifiedDateTime: event.modified.toISOString(),
    changeKey: event.changeKey,
    categories: [],
    originalStartTimeZone: event.startZone,
    originalEndTimeZone: event.endZone,
    iCalUId: event.iCalUId,
    subject: event.subject,
    bodyPreview: event.body.content.replace(/<[^>]*>/g, "").slice(0, 255),
    importance: "normal",
    sensitivity: "normal",
    isAllDay: false,
    isCancelled: false,
    isOrganizer: true,
    responseRequested: true,
    showAs: event.showAs,
    ...(event.transactionId && { transactionId: event.transactionId }),
    type: "singleInstance",
    webLink: `${origin}/owa/?itemid=${encodeURIComponent(event.id)}&exvsurl=1&path=/calendar/item`,
    isOnlineMeeting: event.isOnlineMeeting,
    onlineMeetingProvider: event.isOnlineMeeting ? "teamsForBusiness" : "unknown",
    onlineMeeting: event.joinUrl ? { joinUrl: event.joinUrl } : null,
    body: event.body,
    start: { dateTime: formatWallClock(event.start, zone.zone), timeZone: zone.name },
    end: { dateTime: formatWallClock(event.end, zone.zone), timeZone: zone.name },
    location,
    locations: event.location ? [location] : [],
    attendees: event.attendees.map(({ address, name, type }) => ({
      type,
      status: { response: "none", time: "0001-01-01T00:00:00Z" },
      emailAddress: { name: name ?? address, address },
    })),
    organizer,
  };
}

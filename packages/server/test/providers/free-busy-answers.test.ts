/**
 * The free/busy answers availability reads in bulk (Google freeBusy, Graph
 * getSchedule) are checked by hand rather than by zod (providers/answer-check.ts).
 * Each check is held to its zod schema, the reference: over every shape below
 * both accept or both refuse, and what is accepted reads the same instants.
 * Then, through the clients over loopback: a refused answer is an
 * `invalid_response` ProviderError, not busy time and not a crash.
 */
import { describe, expect, it } from "vitest";
import { ProviderResponseError } from "../../src/providers/errors.ts";
import { z } from "zod";
import { freeBusyAnswer, rfc3339Ms } from "../../src/providers/google/freebusy.ts";
import { freeBusyResponseSchema } from "../../src/providers/google/schemas.ts";
import { createGoogleClient } from "../../src/providers/google.ts";
import { scheduleAnswer, scheduleSchema } from "../../src/providers/microsoft/graph.ts";
import { createMicrosoftClient } from "../../src/providers/microsoft.ts";
import { productionEndpoints } from "../../src/providers/settings.ts";
import { loopbackHttpDeps, useLoopbackProvider } from "../support/loopback-provider.ts";

const at = (start: string, end: string) => ({ start, end });
const google = (calendars: unknown, extra: Record<string, unknown> = {}) => ({
  kind: "calendar#freeBusy",
  timeMin: "2030-01-07T00:00:00.000Z",
  timeMax: "2030-01-08T00:00:00.000Z",
  calendars,
  ...extra,
});

/** Bodies both must accept. */
const googleAccepted: Array<[string, unknown]> = [
  [
    "busy times with offsets",
    google({ primary: { busy: [at("2030-01-07T10:00:00+09:00", "2030-01-07T11:30:00+09:00")] } }),
  ],
  ["fractional seconds and Z", google({ a: { busy: [at("2030-01-07T01:00:00.123456Z", "2030-01-07T02:00:00.5Z")] } })],
  ["no busy field (free)", google({ primary: {} })],
  ["errors without a reason", google({ primary: { busy: [], errors: [{ domain: "calendar" }] } })],
  ["errors with a reason", google({ x: { errors: [{ domain: "global", reason: "notFound" }] } })],
  ["unknown fields beside", google({ primary: { busy: [], extra: 1 } }, { groups: {} })],
  ["no calendars in it", google({})],
];

/** Bodies both must refuse: each shape the hand check refuses. */
const googleRefused: Array<[string, unknown]> = [
  ["not an object", []],
  ["null", null],
  ["timeMin missing", { timeMax: "2030-01-08T00:00:00Z", calendars: {} }],
  ["timeMax not a date-time", google({}, { timeMax: "tomorrow" })],
  ["timeMin without an offset", google({}, { timeMin: "2030-01-07T00:00:00" })],
  ["calendars missing", { timeMin: "2030-01-07T00:00:00Z", timeMax: "2030-01-08T00:00:00Z" }],
  ["calendars an array", google([])],
  ["a calendar not an object", google({ primary: "busy" })],
  ["a calendar null", google({ primary: null })],
  ["busy not an array", google({ primary: { busy: {} } })],
  ["busy null", google({ primary: { busy: null } })],
  ["a busy interval not an object", google({ primary: { busy: ["2030-01-07T10:00:00Z"] } })],
  ["a busy start missing", google({ primary: { busy: [{ end: "2030-01-07T10:00:00Z" }] } })],
  ["a busy end a number", google({ primary: { busy: [{ start: "2030-01-07T10:00:00Z", end: 1 }] } })],
  [
    "a busy start with no seconds",
    google({ primary: { busy: [at("2030-01-07T10:00+09:00", "2030-01-07T11:00:00Z")] } }),
  ],
  ["a busy start on 30 February", google({ primary: { busy: [at("2030-02-30T10:00:00Z", "2030-03-01T11:00:00Z")] } })],
  ["a busy end at hour 24", google({ primary: { busy: [at("2030-01-07T10:00:00Z", "2030-01-07T24:00:00Z")] } })],
  ["errors not an array", google({ primary: { errors: { reason: "notFound" } } })],
  ["errors null", google({ primary: { errors: null } })],
  ["an error not an object", google({ primary: { errors: ["notFound"] } })],
  ["an error's reason a number", google({ primary: { errors: [{ reason: 404 }] } })],
  ["an error's reason null", google({ primary: { errors: [{ reason: null }] } })],
  ["an error's domain a number", google({ primary: { errors: [{ domain: 1, reason: "notFound" }] } })],
];

describe("Google's instants", () => {
  it("reads every RFC 3339 text the date-time pattern accepts to the instant Date.parse gives", () => {
    const pattern = z.regexes.datetime({ offset: true });
    const years = ["0000", "0050", "0099", "0100", "1600", "1969", "1970", "2000", "2024", "2030", "2100", "9999"];
    const days = ["01", "09", "10", "15", "28", "29", "30", "31"];
    const clocks = ["00:00:00", "09:30:15", "23:59:59"];
    const fractions = ["", ".0", ".5", ".05", ".123", ".9999", ".1234567", `.${"9".repeat(25)}`];
    const offsets = ["Z", "+00:00", "-00:00", "+09:00", "-04:30", "+14:00", "-23:59", "+23:59"];
    let read = 0;
    for (const year of years)
      for (let month = 1; month <= 12; month++)
        for (const day of days) {
          const date = `${year}-${String(month).padStart(2, "0")}-${day}`;
          const clock = clocks[(month + Number(day)) % clocks.length];
          for (const fraction of fractions)
            for (const offset of offsets) {
              const text = `${date}T${clock}${fraction}${offset}`;
              if (!pattern.test(text)) continue;
              read++;
              expect([text, rfc3339Ms(text)]).toEqual([text, Date.parse(text)]);
            }
        }
    expect(read).toBeGreaterThan(20_000);
  });
});

describe("Google freeBusy answers: the hand check against freeBusyResponseSchema", () => {
  it.each(googleAccepted)("accepts %s as the schema does, with the same instants and errors", (_, body) => {
    const reference = freeBusyResponseSchema.safeParse(body);
    const checked = freeBusyAnswer.safeParse(body);
    expect(reference.success).toBe(true);
    if (!checked.success || !reference.success) throw new Error("refused");
    const calendars = Object.entries(reference.data.calendars);
    expect([...checked.data.calendars.keys()]).toEqual(calendars.map(([id]) => id));
    for (const [id, entry] of calendars) {
      expect(checked.data.calendars.get(id)?.busy).toEqual(
        entry.busy.flatMap((interval) => [Date.parse(interval.start), Date.parse(interval.end)]),
      );
      expect(checked.data.calendars.get(id)?.errors).toEqual(entry.errors);
    }
  });

  it.each(googleRefused)("refuses %s as the schema does, naming the field", (_, body) => {
    expect(freeBusyResponseSchema.safeParse(body).success).toBe(false);
    const checked = freeBusyAnswer.safeParse(body);
    expect(checked.success).toBe(false);
    if (!checked.success) expect(checked.error.issues[0]?.message).toMatch(/^expected /);
  });
});

const item = (status: string, start: string, end: string, zone = "UTC") => ({
  isPrivate: false,
  status,
  subject: "x",
  location: "",
  start: { dateTime: start, timeZone: zone },
  end: { dateTime: end, timeZone: zone },
});
const graph = (value: unknown) => ({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata", value });
const schedule = (fields: Record<string, unknown>) => graph([{ scheduleId: "ken@example.com", ...fields }]);

const graphAccepted: Array<[string, unknown]> = [
  [
    "busy, tentative and free items",
    schedule({
      availabilityView: "0220",
      scheduleItems: [
        item("busy", "2030-01-07T01:00:00.0000000", "2030-01-07T02:00:00.0000000"),
        item("free", "2030-01-07T02:00:00.0000000", "2030-01-07T03:00:00.0000000"),
        item("tentative", "2030-01-07T03:00:00", "2030-01-07T03:30:00"),
        item("oof", "2030-01-07T09:00:00", "2030-01-07T10:00:00", "Asia/Tokyo"),
      ],
    }),
  ],
  ["no scheduleItems", schedule({})],
  ["null scheduleItems", schedule({ scheduleItems: null })],
  ["an error", schedule({ error: { message: "not found", responseCode: "ErrorMailboxNotFound" } })],
  ["an error with null fields", schedule({ error: { message: null, responseCode: null } })],
  ["a null error", schedule({ scheduleItems: [], error: null })],
  ["no schedules", graph([])],
];

const graphRefused: Array<[string, unknown]> = [
  ["not an object", "[]"],
  ["value missing", {}],
  ["value not an array", graph({})],
  ["a schedule not an object", graph(["ken@example.com"])],
  ["scheduleId missing", graph([{ scheduleItems: [] }])],
  ["scheduleId a number", graph([{ scheduleId: 7 }])],
  ["scheduleItems not an array", schedule({ scheduleItems: {} })],
  ["an item not an object", schedule({ scheduleItems: ["busy"] })],
  [
    "an item's status missing",
    schedule({ scheduleItems: [{ ...item("busy", "2030-01-07T01:00:00", "2030-01-07T02:00:00"), status: undefined }] }),
  ],
  [
    "an item's start missing",
    schedule({ scheduleItems: [{ ...item("busy", "2030-01-07T01:00:00", "2030-01-07T02:00:00"), start: undefined }] }),
  ],
  [
    "a free item's end a string",
    schedule({
      scheduleItems: [{ ...item("free", "2030-01-07T01:00:00", "2030-01-07T02:00:00"), end: "2030-01-07T02:00:00" }],
    }),
  ],
  [
    "an item's dateTime a number",
    schedule({
      scheduleItems: [
        { ...item("busy", "2030-01-07T01:00:00", "2030-01-07T02:00:00"), start: { dateTime: 1, timeZone: "UTC" } },
      ],
    }),
  ],
  [
    "an item's timeZone missing",
    schedule({
      scheduleItems: [
        { ...item("busy", "2030-01-07T01:00:00", "2030-01-07T02:00:00"), end: { dateTime: "2030-01-07T02:00:00" } },
      ],
    }),
  ],
  ["an error not an object", schedule({ error: "ErrorMailboxNotFound" })],
  ["an error's message a number", schedule({ error: { message: 404 } })],
  ["an error's responseCode an object", schedule({ error: { responseCode: {} } })],
];

describe("Graph getSchedule answers: the hand check against scheduleSchema", () => {
  it.each(graphAccepted)("accepts %s as the schema does, keeping the busy items' instants", (_, body) => {
    const reference = scheduleSchema.safeParse(body);
    const checked = scheduleAnswer.safeParse(body);
    expect(reference.success).toBe(true);
    if (!checked.success || !reference.success) throw new Error("refused");
    expect(checked.data.value).toEqual(
      reference.data.value.map((info) => ({
        scheduleId: info.scheduleId,
        busy: (info.scheduleItems ?? [])
          .filter((entry) => entry.status !== "free")
          .flatMap((entry) => [entry.start, entry.end])
          .map(({ dateTime, timeZone }) => {
            const wall = Date.parse(`${dateTime.slice(0, 19)}Z`);
            return timeZone === "Asia/Tokyo" ? wall - 9 * 3600_000 : wall;
          }),
        error: info.error,
      })),
    );
  });

  it.each(graphRefused)("refuses %s as the schema does, naming the field", (_, body) => {
    const reference = scheduleSchema.safeParse(body);
    expect(reference.success).toBe(false);
    const checked = scheduleAnswer.safeParse(body);
    expect(checked.success).toBe(false);
    if (!checked.success) expect(checked.error.issues[0]?.message).toMatch(/^expected /);
    // The same field as the schema names first: the error a caller logs points at the same place.
    if (!checked.success && !reference.success)
      expect(checked.error.issues[0]?.path).toEqual(reference.error.issues[0]?.path);
  });

  it("refuses a busy item's dateTime or zone it cannot read, as fromGraphDateTime does", () => {
    const unreadable = schedule({ scheduleItems: [item("busy", "7 January 2030", "2030-01-07T02:00:00")] });
    expect(() => scheduleAnswer.safeParse(unreadable)).toThrow(ProviderResponseError);
    const windows = schedule({
      scheduleItems: [item("busy", "2030-01-07T01:00:00", "2030-01-07T02:00:00", "Tokyo Standard Time")],
    });
    expect(() => scheduleAnswer.safeParse(windows)).toThrow(/time zone we did not ask for/);
  });
});

const loopback = useLoopbackProvider();
const deps = loopbackHttpDeps;
const range = { start: new Date("2030-01-07T00:00:00Z"), end: new Date("2030-01-08T00:00:00Z") };

describe("through the clients", () => {
  const googleApi = () =>
    createGoogleClient(
      { clientId: "c", clientSecret: "s", endpoints: { ...productionEndpoints.google, apiRootUrl: loopback.baseUrl } },
      deps,
    ).api("token");
  const graphApi = () =>
    createMicrosoftClient(
      {
        clientId: "c",
        clientSecret: "s",
        endpoints: { ...productionEndpoints.microsoft, graphBaseUrl: loopback.baseUrl },
      },
      deps,
    ).api("token");

  it("reads a well-formed freeBusy answer into joined busy times", async () => {
    loopback.answer = google({
      primary: {
        busy: [at("2030-01-07T03:00:00Z", "2030-01-07T04:00:00Z"), at("2030-01-07T01:00:00Z", "2030-01-07T03:00:00Z")],
      },
    });
    await expect(googleApi().freeBusy(["primary"], range, "UTC")).resolves.toEqual([
      {
        calendarId: "primary",
        busy: [{ start: Date.parse("2030-01-07T01:00:00Z"), end: Date.parse("2030-01-07T04:00:00Z") }],
      },
    ]);
  });

  it.each(googleRefused)("answers a freeBusy body with %s as invalid_response", async (_, body) => {
    loopback.answer = body;
    const call = googleApi().freeBusy(["primary"], range, "UTC");
    await expect(call).rejects.toBeInstanceOf(ProviderResponseError);
    await expect(call).rejects.toMatchObject({ code: "invalid_response", message: /unexpected shape/ });
  });

  it("reads a well-formed getSchedule answer into busy times, free items left out, cut to the range", async () => {
    loopback.answer = schedule({
      scheduleItems: [
        item("busy", "2030-01-06T23:00:00", "2030-01-07T01:00:00"),
        item("free", "2030-01-07T02:00:00", "2030-01-07T03:00:00"),
        item("tentative", "2030-01-07T01:00:00", "2030-01-07T01:30:00"),
      ],
    });
    await expect(graphApi().freeBusy(["ken@example.com"], range, "UTC")).resolves.toEqual([
      {
        calendarId: "ken@example.com",
        busy: [{ start: Date.parse("2030-01-07T00:00:00Z"), end: Date.parse("2030-01-07T01:30:00Z") }],
      },
    ]);
  });

  it.each(graphRefused)("answers a getSchedule body with %s as invalid_response", async (_, body) => {
    loopback.answer = body;
    const call = graphApi().freeBusy(["ken@example.com"], range, "UTC");
    await expect(call).rejects.toBeInstanceOf(ProviderResponseError);
    await expect(call).rejects.toMatchObject({ code: "invalid_response", message: /unexpected shape/ });
  });
});

/**
 * The byte readers of the free/busy answers (providers/answer-bytes.ts,
 * google/freebusy-bytes.ts, microsoft/schedule-bytes.ts) are a fast path in
 * front of the exact one (text, JSON.parse, the hand check): over every body
 * below, as text and as raw bytes, a reader either gives up or reads exactly
 * the value the exact path reads; it never reads a body the exact path
 * refuses. The plain bodies the providers send (shaped as providers.md and
 * the sandbox fakes send them) must not be given up on. Then over loopback
 * with the production transport: plain answers are read without JSON.parse,
 * and every refused body is the same `invalid_response` error, word for word,
 * as on the path that has no bytes.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freeBusyAnswer } from "../../src/providers/google/freebusy.ts";
import { createGoogleClient } from "../../src/providers/google.ts";
import type { AnswerSchema, HttpDeps } from "../../src/providers/http.ts";
import { scheduleAnswer } from "../../src/providers/microsoft/graph.ts";
import { createMicrosoftClient } from "../../src/providers/microsoft.ts";
import { productionEndpoints } from "../../src/providers/settings.ts";
import { keepAliveSend } from "../../src/providers/transport.ts";

/** What the exact path makes of a body: http.ts's readBody (text that is not JSON stays text), then the check. */
function exact<T>(schema: AnswerSchema<T>, bytes: Buffer): { read: T } | { refused: true } {
  const text = bytes.toString("utf8");
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  try {
    const result = schema.safeParse(body);
    return result.success ? { read: result.data } : { refused: true };
  } catch {
    return { refused: true };
  }
}

/** The reader gives up or agrees with the exact path; returns whether it read. */
function agrees<T>(schema: AnswerSchema<T>, body: string | Buffer): boolean {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const fast = schema.readBytes?.(bytes);
  if (fast === undefined) return false;
  const reference = exact(schema, bytes);
  expect(reference).toEqual({ read: fast });
  // toEqual treats undefined fields as absent: the exact path's value must match key for key, too.
  if ("read" in reference) expect(fast).toStrictEqual(reference.read);
  return true;
}

const busyPair = (start: string, end: string) => ({ start, end });
const googleBody = (calendars: unknown, extra: Record<string, unknown> = {}) => ({
  kind: "calendar#freeBusy",
  timeMin: "2030-01-07T00:00:00.000Z",
  timeMax: "2030-01-08T00:00:00.000Z",
  calendars,
  ...extra,
});
/** providers.md's freeBusy answer, as Google and the fake send it. */
const googlePlain = googleBody({
  primary: {
    busy: [
      busyPair("2030-01-07T10:00:00+09:00", "2030-01-07T11:30:00+09:00"),
      busyPair("2030-01-07T13:00:00Z", "2030-01-07T14:00:00Z"),
      busyPair("2030-01-07T20:00:00-05:00", "2030-01-07T21:00:00-00:00"),
    ],
  },
  "ken@example.com": { busy: [] },
});

const item = (status: string, start: string, end: string, more: Record<string, unknown> = {}) => ({
  isPrivate: false,
  status,
  subject: "Interview",
  location: "",
  isMeeting: true,
  start: { dateTime: start, timeZone: "UTC" },
  end: { dateTime: end, timeZone: "UTC" },
  ...more,
});
const graphBody = (value: unknown) => ({
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)",
  value,
});
/** providers.md's getSchedule answer (UTC asked for), as Graph and the fake send it. */
const graphPlain = graphBody([
  {
    scheduleId: "ken@example.com",
    availabilityView: "2",
    scheduleItems: [
      item("busy", "2030-01-07T01:00:00.0000000", "2030-01-07T02:00:00.0000000"),
      item("free", "2030-01-07T02:00:00.0000000", "2030-01-07T03:00:00.0000000"),
      item("tentative", "2030-01-07T03:00:00.0000000", "2030-01-07T03:30:00.0000000", { subject: "1on1" }),
      item("oof", "2030-01-07T05:00:00.0000000", "2030-01-07T09:00:00.0000000"),
    ],
    workingHours: {
      daysOfWeek: ["monday", "tuesday"],
      startTime: "08:00:00.0000000",
      endTime: "17:00:00.0000000",
      timeZone: { name: "Tokyo Standard Time" },
    },
  },
  { scheduleId: "ai@example.com", availabilityView: "0", scheduleItems: [] },
]);

/** Every way of writing the same value: compact, indented, odd whitespace, keys in reverse order at every level. */
function spellings(value: unknown): string[] {
  const reversed = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.map(reversed)
      : node && typeof node === "object"
        ? Object.fromEntries(
            Object.entries(node)
              .reverse()
              .map(([key, inner]) => [key, reversed(inner)]),
          )
        : node;
  const compact = JSON.stringify(value);
  return [
    compact,
    JSON.stringify(value, null, 2),
    JSON.stringify(value, null, "\t").replaceAll("\n", "\r\n"),
    ` \n${JSON.stringify(value, null, 1)}\n\t `,
    JSON.stringify(reversed(value)),
  ];
}

describe("plain answers are read, to the exact path's value", () => {
  it.each(spellings(googlePlain))("freeBusy written as %j", (text) => {
    expect(agrees(freeBusyAnswer, text)).toBe(true);
  });

  it.each(spellings(graphPlain))("getSchedule written as %j", (text) => {
    expect(agrees(scheduleAnswer, text)).toBe(true);
  });

  it("reads subjects and locations of any content: escaped quotes, backslashes, \\u escapes, unicode", () => {
    const subjects = [
      'say \\"hi\\"',
      "back\\\\slash \\/ \\b\\f\\n\\r\\t",
      "\\u3042\\u3044 \\uD83D\\uDE00 \\u0000",
      "面接 (一次) 😀",
      '\\"status\\": \\"free\\", \\"end\\": {',
      "}]},{",
    ];
    for (const subject of subjects) {
      const text = JSON.stringify(graphPlain).replaceAll('"subject":"Interview"', `"subject":"${subject}"`);
      expect(JSON.parse(text)).toBeTruthy();
      expect(agrees(scheduleAnswer, text)).toBe(true);
    }
    const fakeAnswer = scheduleAnswer.readBytes?.(Buffer.from(JSON.stringify(graphPlain)));
    expect(fakeAnswer?.value[0]?.busy).toEqual([
      Date.parse("2030-01-07T01:00:00Z"),
      Date.parse("2030-01-07T02:00:00Z"),
      Date.parse("2030-01-07T03:00:00Z"),
      Date.parse("2030-01-07T03:30:00Z"),
      Date.parse("2030-01-07T05:00:00Z"),
      Date.parse("2030-01-07T09:00:00Z"),
    ]);
  });

  it("reads every instant in the providers' usual forms to the exact path's number, at the edges of each field", () => {
    const googleTimes = [
      "2030-01-01T00:00:00Z",
      "2030-12-28T23:59:59Z",
      "1000-06-15T12:00:00+00:00",
      "9999-12-28T23:59:59-00:00",
      "2030-03-10T02:30:00-23:59",
      "2030-03-10T02:30:00+14:00",
      "2030-01-07T10:00:00+09:30",
    ];
    for (const time of googleTimes) {
      const text = JSON.stringify(googleBody({ primary: { busy: [busyPair(time, time)] } }));
      expect(agrees(freeBusyAnswer, text)).toBe(true);
    }
    // Graph's wall-clock digits go to Date.UTC as graphDateTimeMs sends them, out-of-range fields rolling over alike.
    const graphTimes = [
      "2030-01-01T00:00:00.0000000",
      "9999-12-31T23:59:59.0000000",
      "0001-01-01T00:00:00.0000000",
      "2030-13-45T99:99:99.0000000",
      "2030-02-29T24:00:00.0000000",
    ];
    for (const time of graphTimes) {
      const text = JSON.stringify(graphBody([{ scheduleId: "a", scheduleItems: [item("busy", time, time)] }]));
      expect(agrees(scheduleAnswer, text)).toBe(true);
    }
  });

  it("passes over unknown fields of every kind: nested objects and arrays, numbers, literals, nulls", () => {
    const unknown = {
      n: [0, -0, 12, -3.25, 1e5, 1.5e-3, 2e10, 6.02e23, -1e-7],
      t: true,
      f: false,
      z: null,
      deep: { a: [[[], {}], [{ b: [null, { c: "d" }] }]], "k\\ey": "escaped keys are fine where nothing reads them" },
      empty: "",
    };
    const google = googleBody(
      { primary: { busy: [{ ...busyPair("2030-01-07T01:00:00Z", "2030-01-07T02:00:00Z"), ...unknown }], ...unknown } },
      unknown,
    );
    expect(agrees(freeBusyAnswer, JSON.stringify(google).replaceAll("k\\\\ey", "k\\u0065y"))).toBe(true);
    const graph = {
      ...graphBody([{ ...((graphPlain.value as object[])[0] as object), ...unknown }]),
      ...unknown,
    };
    expect(agrees(scheduleAnswer, JSON.stringify(graph))).toBe(true);
    expect(agrees(scheduleAnswer, JSON.stringify(graphBody([{ scheduleId: "a@b.c", scheduleItems: null }])))).toBe(
      true,
    );
  });

  it("reads bytes that are not UTF-8 inside a subject as the text decoding does (replaced, never refused)", () => {
    const text = JSON.stringify(graphPlain);
    const at = text.indexOf("Interview") + 2;
    const bytes = Buffer.from(text, "utf8");
    for (const bad of [[0xff], [0xe3, 0x81], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      const broken = Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]);
      expect(agrees(scheduleAnswer, broken)).toBe(true);
    }
  });
});

describe("whatever a reader does not read plainly it gives up on, and the exact path decides", () => {
  const cases: Array<[string, AnswerSchema<unknown>, string]> = [
    [
      "a wanted key written with an escape",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace('"status"', '"\\u0073tatus"'),
    ],
    [
      "an error written with an escaped key",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace('"availabilityView"', '"\\u0065rror":{"message":"gone"},"x"'),
    ],
    [
      "a repeated status (the last one counts)",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace('"status":"busy"', '"status":"busy","status":"free"'),
    ],
    [
      "a repeated scheduleItems",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace('"scheduleItems":[]', '"scheduleItems":[],"scheduleItems":null'),
    ],
    [
      "a schedule's error",
      scheduleAnswer,
      JSON.stringify(graphBody([{ scheduleId: "a", error: { message: "x", responseCode: "ErrorMailboxNotFound" } }])),
    ],
    ["a null error", scheduleAnswer, JSON.stringify(graphBody([{ scheduleId: "a", scheduleItems: [], error: null }]))],
    [
      "a scheduleId with an escape",
      scheduleAnswer,
      JSON.stringify(graphBody([{ scheduleId: "k\u00e9n@example.com", scheduleItems: [] }])),
    ],
    [
      "a status in unicode escapes",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace('"status":"free"', '"status":"\\u0066ree"'),
    ],
    [
      "a time in another zone",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace('"timeZone":"UTC"', '"timeZone":"Asia/Tokyo"'),
    ],
    [
      "a time that does not read",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace("2030-01-07T01:00:00.0000000", "7 January 2030"),
    ],
    [
      "a free item's time that does not read",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace(
        '2030-01-07T02:00:00.0000000","timeZone":"UTC"},"end"',
        'x","timeZone":"UTC"},"end"',
      ),
    ],
    [
      "a Windows zone name",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace('"timeZone":"UTC"', '"timeZone":"Tokyo Standard Time"'),
    ],
    [
      "a calendar's errors",
      freeBusyAnswer,
      JSON.stringify(googleBody({ primary: { busy: [], errors: [{ domain: "global", reason: "notFound" }] } })),
    ],
    [
      "a repeated calendar id (the last one counts)",
      freeBusyAnswer,
      JSON.stringify(googleBody({ primary: { busy: [] } })).replace(
        '"primary":{"busy":[]}',
        '"primary":{"busy":[{"start":"2030-01-07T01:00:00Z","end":"2030-01-07T02:00:00Z"}]},"primary":{"busy":[]}',
      ),
    ],
    [
      "an integer-like calendar id (objects list those first)",
      freeBusyAnswer,
      JSON.stringify(googleBody({ primary: { busy: [] }, 42: { busy: [] } })),
    ],
    ["a calendar id beyond ASCII", freeBusyAnswer, JSON.stringify(googleBody({ "面接@example.com": { busy: [] } }))],
    [
      "a busy time on 30 February",
      freeBusyAnswer,
      JSON.stringify(googleBody({ a: { busy: [busyPair("2030-02-30T01:00:00Z", "2030-03-01T02:00:00Z")] } })),
    ],
    [
      "a busy time at hour 24",
      freeBusyAnswer,
      JSON.stringify(googleBody({ a: { busy: [busyPair("2030-01-07T24:00:00Z", "2030-01-08T02:00:00Z")] } })),
    ],
    [
      "a busy time with a 24-hour offset",
      freeBusyAnswer,
      JSON.stringify(googleBody({ a: { busy: [busyPair("2030-01-07T01:00:00+24:00", "2030-01-08T02:00:00Z")] } })),
    ],
    [
      "a busy time with no offset",
      freeBusyAnswer,
      JSON.stringify(googleBody({ a: { busy: [busyPair("2030-01-07T01:00:00", "2030-01-08T02:00:00Z")] } })),
    ],
    [
      "a busy time in lower case",
      freeBusyAnswer,
      JSON.stringify(googleBody({ a: { busy: [busyPair("2030-01-07t01:00:00z", "2030-01-08T02:00:00Z")] } })),
    ],
    ["busy null", freeBusyAnswer, JSON.stringify(googleBody({ a: { busy: null } }))],
    ["timeMin missing", freeBusyAnswer, JSON.stringify({ timeMax: "2030-01-08T00:00:00Z", calendars: {} })],
    ["calendars an array", freeBusyAnswer, JSON.stringify(googleBody([]))],
    ["value not an array", scheduleAnswer, JSON.stringify(graphBody({}))],
    ["value missing", scheduleAnswer, JSON.stringify({ "@odata.context": "x" })],
    ["a scheduleId a number", scheduleAnswer, JSON.stringify(graphBody([{ scheduleId: 7 }]))],
    ["an item's status a number", scheduleAnswer, JSON.stringify(graphPlain).replace('"status":"busy"', '"status":1')],
    [
      "an item's end missing",
      scheduleAnswer,
      JSON.stringify(
        graphBody([
          {
            scheduleId: "a",
            scheduleItems: [{ status: "busy", start: { dateTime: "2030-01-07T01:00:00.0000000", timeZone: "UTC" } }],
          },
        ]),
      ),
    ],
  ];

  it.each(cases)("%s", (_, schema, text) => {
    expect(JSON.parse(text)).toBeTruthy();
    expect(agrees(schema, text)).toBe(false);
  });

  // Times in forms other than the providers' usual one are read by the exact path's own functions (instant,
  // graphDateTimeMs), so to the same numbers.
  const otherTimes: Array<[string, AnswerSchema<unknown>, string]> = [
    [
      "a time with a fraction",
      scheduleAnswer,
      JSON.stringify(graphPlain).replace("01:00:00.0000000", "01:00:00.1234567"),
    ],
    [
      "a busy time with a fraction",
      freeBusyAnswer,
      JSON.stringify(googleBody({ a: { busy: [busyPair("2030-01-07T01:00:00.5Z", "2030-01-07T02:00:00Z")] } })),
    ],
    [
      "a busy time on the 31st",
      freeBusyAnswer,
      JSON.stringify(googleBody({ a: { busy: [busyPair("2030-01-31T01:00:00Z", "2030-01-31T02:00:00Z")] } })),
    ],
    ["a time with no fraction", scheduleAnswer, JSON.stringify(graphPlain).replace("01:00:00.0000000", "01:00:00")],
  ];
  it.each(otherTimes)("reads %s as the exact path does", (_, schema, text) => {
    expect(agrees(schema, text)).toBe(true);
  });
});

describe("malformed bytes are never read", () => {
  const google = JSON.stringify(googlePlain);
  const graph = JSON.stringify(graphPlain);
  const malformed: Array<[string, AnswerSchema<unknown>, string | Buffer]> = [
    ["empty", scheduleAnswer, ""],
    ["whitespace only", freeBusyAnswer, " \n"],
    ["null", scheduleAnswer, "null"],
    ["a string", freeBusyAnswer, JSON.stringify(google)],
    ["text after the value", scheduleAnswer, `${graph} x`],
    ["two values", freeBusyAnswer, `${google}${google}`],
    ["a byte order mark", scheduleAnswer, `\ufeff${graph}`],
    ["an array closed as an object", scheduleAnswer, `${graph.slice(0, -2)}}}`],
    ["an object closed as an array", freeBusyAnswer, google.replace("}}", "]}")],
    ["a trailing comma", scheduleAnswer, graph.replace('"scheduleItems":[]}', '"scheduleItems":[],}')],
    ["a missing comma", scheduleAnswer, graph.replace('"isMeeting":true,', '"isMeeting":true ')],
    ["a missing colon", freeBusyAnswer, google.replace('"kind":', '"kind" ')],
    ["single quotes", scheduleAnswer, graph.replace('"subject":"Interview"', "\"subject\":'Interview'")],
    ["an unquoted key", scheduleAnswer, graph.replace('"isPrivate"', "isPrivate")],
    ["a raw tab in a subject", scheduleAnswer, graph.replace('"subject":"Interview"', '"subject":"Inter\tview"')],
    ["a raw line feed in a subject", scheduleAnswer, graph.replace('"subject":"Interview"', '"subject":"Inter\nview"')],
    ["an unknown escape", scheduleAnswer, graph.replace('"subject":"Interview"', '"subject":"Inter\\xview"')],
    ["a short \\u escape", scheduleAnswer, graph.replace('"subject":"Interview"', '"subject":"\\u12G4"')],
    ["an escape at the end", scheduleAnswer, graph.replace('"subject":"Interview"', '"subject":"Interview\\"')],
    ["a leading zero", scheduleAnswer, graph.replace('"isPrivate":false', '"isPrivate":01')],
    ["a bare decimal point", scheduleAnswer, graph.replace('"isPrivate":false', '"isPrivate":1.')],
    ["a point without a leading digit", scheduleAnswer, graph.replace('"isPrivate":false', '"isPrivate":.5')],
    ["an exponent without digits", scheduleAnswer, graph.replace('"isPrivate":false', '"isPrivate":1e+')],
    ["a plus sign", scheduleAnswer, graph.replace('"isPrivate":false', '"isPrivate":+1')],
    ["a lone minus", scheduleAnswer, graph.replace('"isPrivate":false', '"isPrivate":-')],
    ["NaN", scheduleAnswer, graph.replace('"isPrivate":false', '"isPrivate":NaN')],
    ["a misspelt literal", scheduleAnswer, graph.replace('"isPrivate":false', '"isPrivate":fals')],
    ["a literal run on", scheduleAnswer, graph.replace('"isPrivate":false', '"isPrivate":falsey')],
    ["a capitalised literal", freeBusyAnswer, google.replace('"kind":"calendar#freeBusy"', '"kind":Null')],
    ["a comment", freeBusyAnswer, google.replace('{"kind"', '{/* c */"kind"')],
    ["a form feed as whitespace", freeBusyAnswer, google.replace('{"kind"', '{\f"kind"')],
    [
      "a byte beyond ASCII between values",
      scheduleAnswer,
      Buffer.concat([Buffer.from(graph.slice(0, 1)), Buffer.from([0xc2, 0xa0]), Buffer.from(graph.slice(1))]),
    ],
  ];

  it.each(malformed)("%s", (_, schema, body) => {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    expect(exact(schema, bytes)).toEqual({ refused: true });
    expect(schema.readBytes?.(bytes)).toBeUndefined();
  });

  it("gives up on every truncation of a plain answer", () => {
    for (const [schema, text] of [
      [freeBusyAnswer, google],
      [scheduleAnswer, graph],
    ] as const) {
      const bytes = Buffer.from(text, "utf8");
      for (let length = 0; length < bytes.length; length++) {
        const cut = bytes.subarray(0, length);
        expect(exact(schema as AnswerSchema<unknown>, cut)).toEqual({ refused: true });
        expect(schema.readBytes?.(cut)).toBeUndefined();
      }
    }
  });
});

/** A loopback provider answering every call with `answerText`, as bytes. */
let server: Server;
let baseUrl = "";
let answerText: string | Buffer = "";
beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { "content-type": "application/json" });
    response.end(answerText);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const range = { start: new Date("2030-01-07T00:00:00Z"), end: new Date("2030-01-08T00:00:00Z") };
const deps = (bytes: boolean): HttpDeps => ({
  fetch: globalThis.fetch,
  ...(bytes && { send: keepAliveSend }),
  clock: { now: () => new Date("2030-01-06T00:00:00Z") },
  sleep: async () => {},
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 10 },
});
const clients = (bytes: boolean) => ({
  google: () =>
    createGoogleClient(
      { clientId: "c", clientSecret: "s", endpoints: { ...productionEndpoints.google, apiRootUrl: baseUrl } },
      deps(bytes),
    )
      .api("token")
      .freeBusy(["primary", "ken@example.com"], range, "UTC"),
  microsoft: () =>
    createMicrosoftClient(
      { clientId: "c", clientSecret: "s", endpoints: { ...productionEndpoints.microsoft, graphBaseUrl: baseUrl } },
      deps(bytes),
    )
      .api("token")
      .freeBusy(["ken@example.com", "ai@example.com"], range, "UTC"),
});
const settled = (call: Promise<unknown>) =>
  call.then(
    (value) => ({ value }),
    (error: Error & { code?: string }) => ({ error: { name: error.name, code: error.code, message: error.message } }),
  );

describe("through the clients, with the production transport", () => {
  it.each([
    ["google", JSON.stringify(googlePlain)],
    ["microsoft", JSON.stringify(graphPlain)],
  ] as const)(
    "reads a plain %s answer from its bytes, with no JSON.parse, to the same busy times",
    async (provider, text) => {
      answerText = text;
      const parse = vi.spyOn(JSON, "parse");
      try {
        const fromBytes = await clients(true)[provider]();
        expect(parse.mock.calls.filter(([parsed]) => parsed === text)).toEqual([]);
        expect(fromBytes).toEqual(await clients(false)[provider]());
        expect((fromBytes as Array<{ busy: unknown[] }>)[0]?.busy.length).toBeGreaterThan(0);
      } finally {
        parse.mockRestore();
      }
    },
  );

  const refused: Array<[string, "google" | "microsoft", string | Buffer]> = [
    ["truncated", "microsoft", JSON.stringify(graphPlain).slice(0, 300)],
    ["truncated", "google", JSON.stringify(googlePlain).slice(0, 120)],
    [
      "an unknown escape in a subject",
      "microsoft",
      JSON.stringify(graphPlain).replace('"subject":"1on1"', '"subject":"\\q"'),
    ],
    ["a busy item's status a number", "microsoft", JSON.stringify(graphPlain).replace('"status":"busy"', '"status":2')],
    [
      "a time in a Windows zone",
      "microsoft",
      JSON.stringify(graphPlain).replace('"timeZone":"UTC"', '"timeZone":"Tokyo Standard Time"'),
    ],
    [
      "a busy time on 30 February",
      "google",
      JSON.stringify(googlePlain).replace("2030-01-07T13:00:00Z", "2030-02-30T13:00:00Z"),
    ],
    ["text after the value", "google", `${JSON.stringify(googlePlain)}]`],
    ["an empty body", "google", ""],
  ];
  it.each(refused)(
    "refuses a %s answer (%s) with the very error of the path without bytes",
    async (_, provider, body) => {
      answerText = body;
      const fromBytes = await settled(clients(true)[provider]());
      expect(fromBytes).toEqual(await settled(clients(false)[provider]()));
      expect(fromBytes).toMatchObject({ error: { code: "invalid_response" } });
    },
  );

  it("reads a schedule's error and a calendar's errors as before (given up on, read the exact way)", async () => {
    answerText = JSON.stringify(
      graphBody([
        { scheduleId: "ken@example.com", error: { message: "not found", responseCode: "ErrorMailboxNotFound" } },
      ]),
    );
    const graph = await clients(true).microsoft();
    expect(graph).toEqual(await clients(false).microsoft());
    expect(graph[0]).toMatchObject({ error: "ErrorMailboxNotFound: not found" });
    answerText = JSON.stringify(googleBody({ primary: { errors: [{ domain: "global", reason: "notFound" }] } }));
    const google = await clients(true).google();
    expect(google).toEqual(await clients(false).google());
    expect(google[0]).toMatchObject({ error: "notFound" });
  });
});

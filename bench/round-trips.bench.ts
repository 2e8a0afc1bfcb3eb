/**
 * Sequential provider round trips: a fixed latency is added to every call at
 * the Google, Microsoft and Zoom fakes (`POST /_control/latency`), and each
 * operation's wall time, divided by that latency, is the number of provider
 * calls it waited for one after the other (our own work adds a fraction).
 * The server runs as in production (the built bundle) on the organisation of
 * bench/support/calendar-org.ts: 10 interviewers, Google and Outlook
 * calendars alternating; ken books with his Zoom user and Google calendar.
 *
 * 1 s: on a quiet machine 200 ms would do (our own time per request is a few
 * ms), but on a shared one our own time swings by hundreds of ms from one
 * request to the next; against 1 s the quotient still reads as a whole
 * number, and it stays below every provider timeout and retry budget. Each
 * operation also runs without the latency in the same round, and that time
 * is taken out. A first pass without latency warms the process up.
 * The fakes' call counters give how many calls each operation made in all.
 *
 * By design: availability 1 (every calendar read at once); booking 2 (the
 * Zoom meeting, with Zoom's list of the host's meetings read beside it for
 * the host's limit, then the event carrying the join URL), also with the host
 * picked automatically and no Zoom answer cached; rescheduling 3
 * (the drift check with that list, the meeting, then the event: the event
 * waits for Zoom because its update notifies every attendee); cancelling 1.
 */
import { calendarOrg, type CalendarOrg, recruiter, setFakeLatency } from "./support/calendar-org.ts";
import { type DatabaseName, postgresUrl, runOnBuiltServer } from "./support/per-database.ts";
import { median, reportSection } from "./support/report.ts";
import { upcomingTtlMs } from "../packages/server/src/zoom-hosts/upcoming-cache.ts";

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 1000);
const rounds = Number(process.env.BENCH_ROUND_TRIP_ROUNDS ?? 5);
const people = 10;
const hour = 3600_000;

interface Operation {
  name: string;
  expected: string;
  /** Wall times with the latency added, and without (our own work and loopback alone), round by round. */
  wallMs: number[];
  ownMs: number[];
  calls: string[];
}

const results = await runOnBuiltServer(import.meta.url, measure);
const rows = [...results.entries()].flatMap(([databaseName, operations]) =>
  operations.map((operation) => {
    const wall = median(operation.wallMs);
    const own = median(operation.ownMs);
    const trips = median(operation.wallMs.map((ms, index) => (ms - (operation.ownMs[index] ?? 0)) / latencyMs));
    return (
      `| ${databaseName} | ${operation.name} | ${wall.toFixed(0)} | ${own.toFixed(0)} | ${trips.toFixed(2)} | ` +
      `${operation.expected} | ${operation.calls[0] ?? ""} |`
    );
  }),
);
if (!postgresUrl) rows.push("| PostgreSQL | not run: set TSUNAGU_BENCH_DATABASE_URL | | | | |");
reportSection(
  "5-round-trips",
  [
    `## Provider round trips (${latencyMs} ms added to every call at the fakes)`,
    "",
    `The server as in production against the Google, Microsoft and Zoom fakes; each round runs every operation ` +
      `with the fakes answering at once and then with every call ${latencyMs} ms late. Round trips = (wall time with ` +
      `the latency − without) ÷ ${latencyMs} ms: the provider calls the request waited for one after the other, ` +
      `our own work taken out (the machine is shared). Medians of ${rounds} rounds; calls: what the fakes counted ` +
      `in the first round (bench/round-trips.bench.ts). ${people} interviewers, Google and Outlook calendars ` +
      "alternating. The booking names its Zoom host and reads the host's upcoming meetings (counted against its " +
      "limit) afresh beside making the meeting, cached or not (the 30 s cache only lets a booking refuse early), " +
      "so a cold cache costs no round trip; test/interviews/round-trips.test.ts pins 2 with the cache cold. " +
      "With no host named, the host is picked from our holds and Zoom's answers in hand (none here: the run " +
      "waits out the 30 s cache first, once without and once with the latency), and its meetings are read " +
      "beside making its meeting as with a named host; only a picked host Zoom shows full costs more (its " +
      "meeting deleted, the next host tried). " +
      "Rescheduling reads that list beside the drift check, then moves the meeting, then the event: the event " +
      "waits for Zoom because its update notifies every attendee, and a meeting Zoom will not move must not cost " +
      "the candidate a move and a move back.",
    "",
    "| database | operation | wall ms | without latency | round trips | by design | provider calls |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ...rows,
    "",
  ].join("\n"),
);

async function measure(databaseName: DatabaseName): Promise<Operation[]> {
  const org = await calendarOrg(people, (index) => (index % 2 === 0 ? ["google"] : ["microsoft"]));
  try {
    const server = await org.startServer(process.env.BENCH_BUILT_MAIN!);
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const token = await org.t.token(recruiter);
      const began = performance.now();
      const response = await fetch(`${server.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          origin: "https://portal-a.example",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await response.json()) as Record<string, unknown>;
      const wallMs = performance.now() - began;
      if (response.status >= 300)
        throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
      return { answer, wallMs };
    };
    const base = Math.floor(org.t.clock.now().getTime() / hour) * hour + 48 * hour;
    const operations: Operation[] = [
      { name: `availability, ${people} interviewers × 14 days`, expected: "1", wallMs: [], ownMs: [], calls: [] },
      { name: "booking with a Zoom meeting (POST /v1/interviews)", expected: "2", wallMs: [], ownMs: [], calls: [] },
      { name: "rescheduling (PATCH start and end)", expected: "3", wallMs: [], ownMs: [], calls: [] },
      { name: "cancelling (DELETE)", expected: "1", wallMs: [], ownMs: [], calls: [] },
    ];
    for (let pass = -1; pass < rounds * 2; pass++) {
      const round = Math.floor(pass / 2);
      const delayed = pass >= 0 && pass % 2 === 1;
      const recorded = pass >= 0;
      await setFakeLatency(org.fakes, delayed ? latencyMs : 0);
      const start = base + (pass + 1) * 24 * hour;
      const steps: Array<() => Promise<number>> = [];
      let interviewId = "";
      steps.push(async () => {
        const answer = await call("POST", "/v1/availability", {
          participants: org.interviewers.map((interviewer) => interviewer.caller.sub),
          start: new Date(start).toISOString(),
          end: new Date(start + 14 * 24 * hour).toISOString(),
          durationMinutes: 60,
          timeZone: "Asia/Tokyo",
        });
        const people = (answer.answer.people as Array<{ status: string }>).filter((person) => person.status === "ok");
        if (people.length !== org.interviewers.length) throw new Error("availability: a calendar was not read");
        return answer.wallMs;
      });
      steps.push(async () => {
        const booked = await call(
          "POST",
          "/v1/interviews",
          {
            title: `Round trips ${pass}`,
            start: new Date(start).toISOString(),
            end: new Date(start + 45 * 60_000).toISOString(),
            interviewers: org.interviewers.slice(0, 2).map((interviewer) => interviewer.caller.sub),
            candidate: { name: "山田 太郎", email: "taro.candidate@example.com" },
            zoom: { hostZoomUserId: "zU_ken" },
          },
          { "idempotency-key": `round-trips-${pass}-${Date.now()}` },
        );
        interviewId = String(booked.answer.id);
        if (booked.answer.status !== "confirmed") throw new Error(`booking ended ${booked.answer.status}`);
        return booked.wallMs;
      });
      steps.push(async () => {
        const moved = await call("PATCH", `/v1/interviews/${interviewId}`, {
          start: new Date(start + 2 * hour).toISOString(),
          end: new Date(start + 2 * hour + 45 * 60_000).toISOString(),
        });
        return moved.wallMs;
      });
      steps.push(async () => (await call("DELETE", `/v1/interviews/${interviewId}`)).wallMs);
      for (const [index, step] of steps.entries()) {
        const operation = operations[index]!;
        const before = await callCounts(org);
        const wallMs = await step();
        if (recorded) (delayed ? operation.wallMs : operation.ownMs).push(wallMs);
        if (delayed && round === 0) operation.calls.push(describeCalls(before, await callCounts(org)));
      }
    }
    // The automatic host pick with every Zoom user's upcoming meetings uncached: the server keeps Zoom's answers
    // 30 s, so each of its two runs (without, then with the latency) waits that long after the last Zoom list.
    const automatic: Operation = {
      name: "booking, host picked automatically, no Zoom answer cached",
      expected: "2",
      wallMs: [],
      ownMs: [],
      calls: [],
    };
    for (const delayed of [false, true]) {
      await setFakeLatency(org.fakes, 0);
      await new Promise((resolve) => setTimeout(resolve, upcomingTtlMs + 1_000));
      await setFakeLatency(org.fakes, delayed ? latencyMs : 0);
      const start = base + (rounds * 2 + (delayed ? 2 : 1)) * 24 * hour;
      const before = await callCounts(org);
      const booked = await call(
        "POST",
        "/v1/interviews",
        {
          title: `Round trips, automatic host ${delayed}`,
          start: new Date(start).toISOString(),
          end: new Date(start + 45 * 60_000).toISOString(),
          interviewers: org.interviewers.slice(0, 2).map((interviewer) => interviewer.caller.sub),
          candidate: { name: "山田 太郎", email: "taro.candidate@example.com" },
          zoom: {},
        },
        { "idempotency-key": `round-trips-automatic-${delayed}-${Date.now()}` },
      );
      if (booked.answer.status !== "confirmed") throw new Error(`automatic booking ended ${booked.answer.status}`);
      (delayed ? automatic.wallMs : automatic.ownMs).push(booked.wallMs);
      if (delayed) automatic.calls.push(describeCalls(before, await callCounts(org)));
    }
    operations.splice(2, 0, automatic);
    await setFakeLatency(org.fakes, 0);
    for (const operation of operations)
      console.error(
        `${databaseName} ${operation.name}: ${operation.wallMs.map((ms) => ms.toFixed(0)).join(", ")} ms, without ` +
          `latency ${operation.ownMs.map((ms) => ms.toFixed(0)).join(", ")} ms; ${operation.calls[0]}`,
      );
    return operations;
  } finally {
    await org.close();
  }
}

async function callCounts(org: CalendarOrg): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const [provider, baseUrl] of Object.entries(org.fakes)) {
    const stats = (await (await fetch(`${baseUrl}/_control/stats`)).json()) as { calls: Record<string, number> };
    for (const [key, count] of Object.entries(stats.calls)) counts.set(`${provider} ${key}`, count);
  }
  return counts;
}

/** The calls made between two counts, ids in paths shortened: "zoom POST /v2/users/zU_ken/meetings ×1". */
function describeCalls(before: Map<string, number>, after: Map<string, number>): string {
  const made: string[] = [];
  for (const [key, count] of after) {
    const more = count - (before.get(key) ?? 0);
    if (more > 0) made.push(`${key.replace(/\/[A-Za-z0-9_@.%-]{16,}/g, "/…")} ×${more}`);
  }
  return made.join("; ");
}

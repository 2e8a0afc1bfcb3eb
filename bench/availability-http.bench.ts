/**
 * Availability over HTTP: `POST /v1/availability` for interviewers whose
 * calendars are linked at the Google and Microsoft fakes (the sandbox seed's
 * people and busy time), 60-minute slots, the question `<schedule-interview>`
 * asks (support/availability-request.ts; BENCH_PEOPLE_BUSY=all for every
 * busy block); the server started as in
 * production (the built bundle) against the fakes with no added latency, so
 * each request reads every calendar at the fakes over loopback. Two sizes by
 * default: 5 people × 14 days (each with a Google and an Outlook calendar,
 * 10 calls) and 50 people × 60 days (Google and Outlook alternating, 50
 * calls). For each: server CPU per request (/proc), autocannon with 50
 * connections right after the bare route of the same process, and the
 * provider round trips one request waits for (its wall time with a latency
 * added at the fakes, less without, over that latency). SQLite and
 * PostgreSQL; host tokens signed HS256 and ES256, each size once with each
 * (BENCH_AVAILABILITY_ALGORITHMS), the ES256 servers reading a hosts file in
 * which the portal holds a public key in place of its secret.
 */
import { type LoadFigures, connections, load } from "./support/autocannon-load.ts";
import { availabilityRequest } from "./support/availability-request.ts";
import { setFakeLatency } from "./support/calendar-org.ts";
import {
  type CalendarOrgProcess,
  type HostAlgorithm,
  calendarsOf,
  startCalendarOrgProcess,
} from "./support/calendar-org-process.ts";
import { type DatabaseName, postgresUrl, runOnBuiltServer } from "./support/per-database.ts";
import { cpuPerRequest } from "./support/process-cpu.ts";
import { median, reportSection } from "./support/report.ts";

// Longer runs than the other routes': with 50 connections one availability request waits behind 49 others, each
// reading every calendar, so a short run may end before the first answer.
const seconds = Number(process.env.BENCH_AVAILABILITY_SECONDS ?? 30);
const rounds = Number(process.env.BENCH_AVAILABILITY_ROUNDS ?? 1);
/** `people`x`days`, comma-separated. */
const sizes = (process.env.BENCH_AVAILABILITY_SIZES ?? "5x14,50x60").split(",").map((size) => {
  const [people, days] = size.split("x").map(Number);
  return { people: people!, days: days! };
});
/** Each size is measured with each: an organisation of its own whose portal signs that way. */
const hostAlgorithms = (process.env.BENCH_AVAILABILITY_ALGORITHMS ?? "HS256,ES256").split(",") as HostAlgorithm[];
const cpuRequests = Number(process.env.BENCH_AVAILABILITY_CPU_REQUESTS ?? 100);
const latencyMs = Number(process.env.BENCH_AVAILABILITY_LATENCY_MS ?? 500);
// A request waits behind 49 others, so it may take longer than autocannon's default 10 s on a busy machine.
const loadOptions = { timeoutSeconds: 60 };

const results = await runOnBuiltServer(import.meta.url, async (database) => {
  const rows: string[] = [];
  for (const size of sizes)
    for (const hostAlgorithm of hostAlgorithms)
      rows.push(...(await measure(database, size.people, size.days, hostAlgorithm)));
  return rows;
});
const rows = [...results.values()].flat();
if (!postgresUrl) rows.push("| PostgreSQL | not run: set TSUNAGU_BENCH_DATABASE_URL | | | | | | | | |");
reportSection(
  "4-availability-http",
  [
    "## Availability over HTTP (server as in production, the calendar fakes with no added latency)",
    "",
    "`POST /v1/availability`, `<schedule-interview>`'s question: 60-minute slots on a 30-minute step, 10-minute " +
      "buffers, its hours (every day 09:00–18:00 Tokyo) as the window, " +
      `\`peopleBusy: "${process.env.BENCH_PEOPLE_BUSY ?? "working_hours"}"\`, host tokens signed ` +
      `${hostAlgorithms.join(" and ")} (each on an organisation and a server of its own), the ` +
      "sandbox seed's busy time: 5 interviewers each with a Google and an Outlook calendar over 14 days (10 " +
      "calendars read per request), and 50 interviewers over 60 days, Google and Outlook alternating (50 " +
      "calendars; the seed has 10 people, so interviewers 11–50 are other portal users who linked the seed's " +
      "calendars again, each a grant of its own). autocannon, " +
      `${connections} connections, ${rounds} rounds of ${seconds} s, each right after the bare route of the ` +
      "same process for as long; medians, each ratio within its pair (bench/availability-http.bench.ts). The " +
      "fakes and the test app that linked the calendars answer from a process of their own " +
      "(bench/support/calendar-org-process.ts), the load comes from the bench's; server CPU: /proc/<pid>/stat " +
      `of the server over ${cpuRequests} sequential requests, before the load; round trips: one request's wall ` +
      `time with ${latencyMs} ms added to every call at the fakes, less its time without, over ${latencyMs} ms ` +
      "(median of 3).",
    "",
    "Failed requests are counted, not hidden: a 503 `server_busy` under this load is a query that waited more than " +
      "the pool's 5 s connect timeout while all 10 PostgreSQL connections were in use (the server's event loop " +
      "saturated, every request waiting behind 49 others), the server shedding load; a 503 `database_unavailable` " +
      "would be the database out of reach.",
    "",
    "The p99 counts the fakes' own pace of taking new connections: their process, saturated by this load, accepts " +
      "one new connection per listening socket per turn of its event loop (Node 20's libuv), a turn lasting about " +
      "200 ms here, so a call on a connection the server opened during the run can wait seconds to be accepted " +
      "while calls on open connections are answered in a few hundred ms (bench/HISTORY.md, 2026-12-01 11:15).",
    "",
    "| database | route | calendars | requests/s | p50 ms | p99 ms | × bare route | server CPU ms/request | " +
      "round trips | failed requests |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows,
    "",
  ].join("\n"),
);

async function measure(
  databaseName: DatabaseName,
  people: number,
  days: number,
  hostAlgorithm: HostAlgorithm,
): Promise<string[]> {
  const org = await startCalendarOrgProcess(people, process.env.BENCH_BUILT_MAIN!, {}, hostAlgorithm);
  try {
    const { init } = availabilityRequest(org, days);
    const { headers, body } = init;
    const calendars = Array.from({ length: people }, (_, index) => calendarsOf(people)(index).length).reduce(
      (sum, count) => sum + count,
      0,
    );
    await probe(org, days, people);

    const cpu = await cpuPerRequest(org, { path: "/v1/availability", method: "POST", headers, body }, cpuRequests);
    const trips = await roundTrips(org, days);
    const targets = [
      { name: "bare Hono route", request: { path: "/bench/bare" } },
      {
        name: `POST /v1/availability, ${people} people × ${days} days, ${hostAlgorithm}`,
        request: { path: "/v1/availability", method: "POST" as const, headers, body },
      },
    ];
    for (const target of targets) await load(org.baseUrl, target.request, 3, loadOptions);
    const runs = new Map(targets.map((target) => [target.name, [] as (LoadFigures & { ratio: number })[]]));
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const bare = await load(org.baseUrl, { path: "/bench/bare" }, seconds, loadOptions);
        const figures =
          target.request.path === "/bench/bare" ? bare : await load(org.baseUrl, target.request, seconds, loadOptions);
        runs.get(target.name)!.push({ ...figures, ratio: figures.requestsPerSecond / bare.requestsPerSecond });
      }
    }
    const rows = targets.map((target) => {
      const of = (field: "requestsPerSecond" | "p50" | "p99" | "ratio") =>
        median(runs.get(target.name)!.map((run) => run[field]));
      const bare = target.request.path === "/bench/bare";
      const failed = runs
        .get(target.name)!
        .map((run) => run.failures)
        .filter(Boolean);
      return (
        `| ${databaseName} | ${target.name} | ${bare ? "" : calendars} | ${perSecond(of("requestsPerSecond"))} | ` +
        `${of("p50")} | ${of("p99")} | ${of("ratio").toFixed(2)} | ${bare ? "" : cpu.toFixed(1)} | ` +
        `${bare ? "" : trips.toFixed(2)} | ${failed.join("; ") || "none"} |`
      );
    });
    console.error(rows.join("\n"));
    return rows;
  } finally {
    await org.close();
  }
}

/** One request, which must read every interviewer's every calendar. */
async function probe(org: CalendarOrgProcess, days: number, people: number): Promise<void> {
  const { url, init } = availabilityRequest(org, days);
  const response = await fetch(url, init);
  const answer = (await response.json()) as {
    people?: Array<{ status: string; calendars: Array<{ status: string }> }>;
  };
  const read = answer.people?.filter(
    (person) => person.status === "ok" && person.calendars.every((calendar) => calendar.status === "read"),
  ).length;
  if (response.status !== 200 || read !== people)
    throw new Error(`the availability probe answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
}

/** Sequential provider round trips of one request: (wall time with `latencyMs` at the fakes − without) ÷ latencyMs. */
async function roundTrips(org: CalendarOrgProcess, days: number): Promise<number> {
  const { url, init } = availabilityRequest(org, days);
  const wall = async () => {
    const started = performance.now();
    const response = await fetch(url, init);
    if (response.status !== 200) throw new Error(`availability answered ${response.status}`);
    await response.arrayBuffer();
    return performance.now() - started;
  };
  const trips: number[] = [];
  for (let round = 0; round < 3; round++) {
    const own = await wall();
    await setFakeLatency(org.fakes, latencyMs);
    try {
      trips.push(((await wall()) - own) / latencyMs);
    } finally {
      await setFakeLatency(org.fakes, 0);
    }
  }
  return median(trips);
}

/** Requests per second, with a decimal below 10 (an overloaded run completes a fraction of a request a second). */
function perSecond(value: number): string {
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

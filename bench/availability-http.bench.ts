/**
 * Availability over HTTP: `POST /v1/availability` for 5 interviewers who each
 * linked a Google and an Outlook calendar (the sandbox seed's people and
 * busy time), 14 days, 60-minute slots; the server started as in production
 * (the built bundle) against the Google and Microsoft fakes with no added
 * latency, so each request reads 10 calendars at the fakes over loopback.
 * autocannon, 50 connections, each run right after the bare route of the
 * same process; SQLite and PostgreSQL; HS256 host tokens.
 */
import { type LoadFigures, connections, load } from "./support/autocannon-load.ts";
import { startCalendarOrgProcess } from "./support/calendar-org-process.ts";
import { type DatabaseName, postgresUrl, runOnBuiltServer } from "./support/per-database.ts";
import { cpuPerRequest } from "./support/process-cpu.ts";
import { median, reportSection } from "./support/report.ts";

// Longer runs than the other routes': with 50 connections one availability request waits behind 49 others, each
// reading 10 calendars, so a short run may end before the first answer.
const seconds = Number(process.env.BENCH_AVAILABILITY_SECONDS ?? 30);
const rounds = Number(process.env.BENCH_AVAILABILITY_ROUNDS ?? 1);
const people = Number(process.env.BENCH_AVAILABILITY_PEOPLE ?? 5);
const days = Number(process.env.BENCH_AVAILABILITY_DAYS ?? 14);
const cpuRequests = Number(process.env.BENCH_AVAILABILITY_CPU_REQUESTS ?? 100);
// A request waits behind 49 others, so it may take longer than autocannon's default 10 s on a busy machine.
const loadOptions = { timeoutSeconds: 60 };

const results = await runOnBuiltServer(import.meta.url, measure);
const rows = [...results.values()].flat();
if (!postgresUrl) rows.push("| PostgreSQL | not run: set TSUNAGU_BENCH_DATABASE_URL | | | | | | |");
reportSection(
  "4-availability-http",
  [
    "## Availability over HTTP (server as in production, the calendar fakes with no added latency)",
    "",
    `\`POST /v1/availability\` for ${people} interviewers, each with a Google and an Outlook calendar linked ` +
      `(${people * 2} calendars read per request, the sandbox seed's busy time), ${days} days, 60-minute slots on ` +
      `a 30-minute step, 10-minute buffers, HS256 host token. autocannon, ${connections} connections, ${rounds} ` +
      `rounds of ${seconds} s, each right after the bare route of the same process for as long; medians, each ` +
      "ratio within its pair (bench/availability-http.bench.ts). The fakes and the test app that linked the " +
      "calendars answer from a process of their own (bench/support/calendar-org-process.ts), the load comes from " +
      `the bench's; server CPU: /proc/<pid>/stat of the server over ${cpuRequests} sequential requests, ` +
      "before the load.",
    "",
    "Failed requests are counted, not hidden: a 503 `database_unavailable` under this load is a query that waited " +
      "more than the pool's 5 s connect timeout for one of its 10 PostgreSQL connections while the server's event " +
      "loop was saturated (every request waits behind 49 others), the server shedding load, not the database failing.",
    "",
    "| database | route | requests/s | p50 ms | p99 ms | × bare route | server CPU ms/request | failed requests |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows,
    "",
  ].join("\n"),
);

async function measure(databaseName: DatabaseName): Promise<string[]> {
  const org = await startCalendarOrgProcess(people, process.env.BENCH_BUILT_MAIN!);
  try {
    const monday = nextMondayInTokyo(new Date(org.now));
    const body = JSON.stringify({
      participants: org.participants,
      start: monday.toISOString(),
      end: new Date(monday.getTime() + days * 86_400_000).toISOString(),
      durationMinutes: 60,
      stepMinutes: 30,
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 10,
      timeZone: "Asia/Tokyo",
    });
    // One token for the load, signed at start-up and valid for 15 minutes (HS256, the test portal's secret).
    const headers = {
      authorization: `Bearer ${org.token}`,
      origin: "https://portal-a.example",
      "content-type": "application/json",
    };
    const probe = await fetch(`${org.baseUrl}/v1/availability`, { method: "POST", headers, body });
    const answer = (await probe.json()) as { people?: Array<{ status: string; calendars: unknown[] }> };
    const read = answer.people?.filter((person) => person.status === "ok" && person.calendars.length === 2).length;
    if (probe.status !== 200 || read !== people)
      throw new Error(`the availability probe answered ${probe.status}: ${JSON.stringify(answer).slice(0, 500)}`);

    const cpu = await cpuPerRequest(org, { path: "/v1/availability", method: "POST", headers, body }, cpuRequests);
    const targets = [
      { name: "bare Hono route", request: { path: "/bench/bare" } },
      {
        name: `POST /v1/availability, ${people} people × ${days} days, HS256`,
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
      const cpuCell = target.request.path === "/bench/bare" ? "" : cpu.toFixed(1);
      const failed = runs
        .get(target.name)!
        .map((run) => run.failures)
        .filter(Boolean);
      return (
        `| ${databaseName} | ${target.name} | ${perSecond(of("requestsPerSecond"))} | ${of("p50")} | ${of("p99")} | ` +
        `${of("ratio").toFixed(2)} | ${cpuCell} | ${failed.join("; ") || "none"} |`
      );
    });
    console.error(rows.join("\n"));
    return rows;
  } finally {
    await org.close();
  }
}

/** Requests per second, with a decimal below 10 (an overloaded run completes a fraction of a request a second). */
function perSecond(value: number): string {
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

/** The Monday after `now`, 00:00 in Tokyo (UTC+9, no DST). */
function nextMondayInTokyo(now: Date): Date {
  const tokyo = new Date(now.getTime() + 9 * 3600_000);
  const daysAhead = (8 - tokyo.getUTCDay()) % 7 || 7;
  const midnight = Date.UTC(tokyo.getUTCFullYear(), tokyo.getUTCMonth(), tokyo.getUTCDate() + daysAhead);
  return new Date(midnight - 9 * 3600_000);
}

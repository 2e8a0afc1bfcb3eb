/**
 * Server CPU per `POST /v1/availability` of two builds side by side: one
 * organisation process (calendar-org-process.ts) serves the same database and
 * fakes to a build made earlier (`before`, a bundle kept from
 * support/server-build.ts, e.g. of main) and to this worktree's build
 * (`after`); rounds of sequential requests alternate between the two, and
 * each round's CPU comes from /proc (and its wall time per request, which
 * counts waits: the load generator's and the fakes' time too). On a shared machine only the ratio in
 * the same run means anything; the load average is printed with it. Also
 * prints the answer's size in bytes and whether the two builds answered alike. Not part of `pnpm bench`:
 *
 *   npx tsx bench/availability-side-by-side.ts <before main.js> [people] [days] [rounds] [requests per round]
 *   npx tsx bench/availability-side-by-side.ts ../packages/server/.dist-bench-main/main.js 50 60 5 20
 *
 * With `peopleBusy` in place of the earlier build, one build (this worktree's) is asked the two questions side by
 * side instead: every busy block (`before`) and the element's, busy time within its hours (`after`).
 *
 *   npx tsx bench/availability-side-by-side.ts peopleBusy 50 60 5 20
 */
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { availabilityRequest, type PeopleBusy } from "./support/availability-request.ts";
import { startCalendarOrgProcess } from "./support/calendar-org-process.ts";
import { cpuPerRequest } from "./support/process-cpu.ts";
import { buildServer } from "./support/server-build.ts";

const [beforeMain, ...numbers] = process.argv.slice(2);
if (!beforeMain)
  throw new Error("usage: availability-side-by-side.ts <before main.js | peopleBusy> [people] [days] [rounds] [n]");
const [people = 50, days = 60, rounds = 5, perRound = 20] = numbers.map(Number);

const questions = beforeMain === "peopleBusy";
const after = buildServer();
try {
  const org = await startCalendarOrgProcess(people, questions ? after.main : [resolve(beforeMain), after.main]);
  try {
    const asked = (peopleBusy?: PeopleBusy) => {
      const { init } = availabilityRequest(org, days, peopleBusy);
      return { path: "/v1/availability", method: "POST" as const, headers: init.headers, body: init.body };
    };
    const builds = [
      {
        name: "before",
        server: org.servers[0]!,
        request: asked(questions ? "all" : undefined),
        cpu: [] as number[],
        wall: [] as number[],
        answer: "",
      },
      {
        name: "after",
        server: org.servers.at(-1)!,
        request: asked(),
        cpu: [] as number[],
        wall: [] as number[],
        answer: "",
      },
    ];
    for (const build of builds) {
      const { request } = build;
      const response = await fetch(`${build.server.baseUrl}/v1/availability`, { ...request, body: request.body });
      build.answer = await response.text();
      await cpuPerRequest(build.server, build.request, 5);
    }
    const loadAtStart = loadavg()[0]!;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? builds : [...builds].reverse();
      for (const build of order) {
        const started = performance.now();
        build.cpu.push(await cpuPerRequest(build.server, build.request, perRound));
        build.wall.push((performance.now() - started) / perRound);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    console.log(
      `${people} people × ${days} days, ${rounds} alternating rounds of ${perRound} sequential requests, ` +
        `load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
    );
    for (const build of builds) {
      const spread = `${Math.min(...build.cpu).toFixed(1)}–${Math.max(...build.cpu).toFixed(1)}`;
      console.log(
        `${build.name.padEnd(7)} ${median(build.cpu).toFixed(1).padStart(7)} ms CPU/request (${spread}), ` +
          `${median(build.wall).toFixed(1)} ms wall/request, answer ${Buffer.byteLength(build.answer)} bytes`,
      );
    }
    console.log(`the two answers are ${builds[0]!.answer === builds[1]!.answer ? "identical" : "DIFFERENT"}`);
    const ratios = builds[1]!.cpu.map((cpu, index) => cpu / builds[0]!.cpu[index]!);
    console.log(`after ÷ before per round: ${ratios.map((ratio) => ratio.toFixed(2)).join(" ")}`);
  } finally {
    await org.close();
  }
} finally {
  after.remove();
}

/**
 * The floor under `POST /v1/availability`'s server CPU: what JSON.parse of
 * the provider answers alone costs. The built server (as in production) of
 * the calendar organisation answers one question with a preload that keeps
 * the provider answers as they arrive (support/json-parse-hook.mjs); this
 * process then parses those answers again, as one request's worth, and
 * times it (CPU time, median of rounds), beside a Buffer → string decode of
 * the same bytes and JSON.stringify of the server's answer. Not part of `pnpm bench`:
 *
 *   npx tsx availability-parse-floor.ts [people] [days] [rounds]
 *   npx tsx availability-parse-floor.ts 50 60 50
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { availabilityRequest } from "./support/availability-request.ts";
import { startCalendarOrgProcess } from "./support/calendar-org-process.ts";
import { buildServer } from "./support/server-build.ts";

const [people = 50, days = 60, rounds = 50] = process.argv.slice(2).map(Number);

const built = buildServer();
const scratch = mkdtempSync(join(tmpdir(), "tsunagu-parse-floor-"));
const keptFile = join(scratch, "parsed.json");
let answer = "";
try {
  const org = await startCalendarOrgProcess(people, built.main, {
    NODE_OPTIONS: `--import ${new URL("./support/json-parse-hook.mjs", import.meta.url).pathname}`,
    BENCH_JSON_PARSE_FILE: keptFile,
  });
  try {
    const { url, init } = availabilityRequest(org, days);
    const response = await fetch(url, init);
    answer = await response.text();
    if (response.status !== 200) throw new Error(`answered ${response.status}: ${answer}`);
  } finally {
    await org.close();
  }
  const texts = JSON.parse(readFileSync(keptFile, "utf8")) as string[];
  const buffers = texts.map((text) => Buffer.from(text, "utf8"));
  const bytes = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  // CPU time of this process (user + system), not the wall clock: on a loaded machine the wall clock counts waits.
  const time = (work: () => void) => {
    const spent: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const start = process.cpuUsage();
      work();
      const used = process.cpuUsage(start);
      spent.push((used.user + used.system) / 1000);
    }
    return spent.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
  };
  let sink = 0;
  const decode = time(() => {
    for (const buffer of buffers) sink += buffer.toString("utf8").length;
  });
  const parse = time(() => {
    for (const text of texts) sink += Object.keys(JSON.parse(text) as object).length;
  });
  const decodeAndParse = time(() => {
    for (const buffer of buffers) sink += Object.keys(JSON.parse(buffer.toString("utf8")) as object).length;
  });
  const answerValue = JSON.parse(answer) as unknown;
  const render = time(() => {
    sink += JSON.stringify(answerValue).length;
  });
  console.log(
    `${people} people × ${days} days: ${texts.length} provider answers, ${bytes} bytes; our answer ` +
      `${Buffer.byteLength(answer)} bytes; median of ${rounds} rounds, load average ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(`  Buffer → string (utf8)           ${decode.toFixed(2)} ms`);
  console.log(`  JSON.parse of the strings        ${parse.toFixed(2)} ms`);
  console.log(`  both (the floor per request)     ${decodeAndParse.toFixed(2)} ms`);
  console.log(`  JSON.stringify of our answer     ${render.toFixed(2)} ms`);
  if (sink < 0) console.log(sink);
} finally {
  built.remove();
  rmSync(scratch, { recursive: true, force: true });
}

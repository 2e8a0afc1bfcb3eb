/**
 * The provider answers' reading under `POST /v1/availability`, two ways side
 * by side on the sandbox's real answers to one question: the exact path
 * (bytes → text, JSON.parse, the hand-written shape check: freeBusyAnswer,
 * scheduleAnswer) and the byte readers in front of it
 * (src/providers/answer-bytes.ts: start/end and status read from the bytes,
 * nothing else built). The answers are kept as in availability-parse-floor.ts
 * (support/json-parse-hook.mjs in the built server); every answer must read
 * to the same value both ways, and none may be given up on. CPU time per
 * request's worth of answers, median of alternating rounds. Not part of `pnpm bench`:
 *
 *   npx tsx availability-reader-floor.ts [people] [days] [rounds]
 *   npx tsx availability-reader-floor.ts 50 60 50
 */
import { deepStrictEqual } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { freeBusyAnswer } from "../packages/server/src/providers/google/freebusy.ts";
import type { AnswerSchema } from "../packages/server/src/providers/http.ts";
import { scheduleAnswer } from "../packages/server/src/providers/microsoft/graph.ts";
import { availabilityRequest } from "./support/availability-request.ts";
import { startCalendarOrgProcess } from "./support/calendar-org-process.ts";
import { buildServer } from "./support/server-build.ts";

const [people = 50, days = 60, rounds = 50] = process.argv.slice(2).map(Number);

const built = buildServer();
const scratch = mkdtempSync(join(tmpdir(), "tsunagu-reader-floor-"));
const keptFile = join(scratch, "parsed.json");
try {
  const org = await startCalendarOrgProcess(people, built.main, {
    NODE_OPTIONS: `--import ${new URL("./support/json-parse-hook.mjs", import.meta.url).pathname}`,
    BENCH_JSON_PARSE_FILE: keptFile,
    // Every answer, however small (the hook's default keeps those of 4 KB and more).
    BENCH_KEEP_MIN_BYTES: "2",
  });
  try {
    const { url, init } = availabilityRequest(org, days);
    const response = await fetch(url, init);
    if (response.status !== 200) throw new Error(`answered ${response.status}: ${await response.text()}`);
  } finally {
    await org.close();
  }
} finally {
  built.remove();
}
const texts = JSON.parse(readFileSync(keptFile, "utf8")) as string[];
rmSync(scratch, { recursive: true, force: true });
// The free/busy answers only (the hook keeps any JSON object the transport joined: token answers too).
const answers = texts
  .filter((text) => text.includes('"scheduleId"') || text.includes('"calendar#freeBusy"'))
  .map((text) => ({
    bytes: Buffer.from(text, "utf8"),
    schema: (text.includes('"scheduleId"') ? scheduleAnswer : freeBusyAnswer) as AnswerSchema<unknown>,
  }));
if (answers.length === 0) throw new Error("no provider answer was kept");
const bytes = answers.reduce((sum, answer) => sum + answer.bytes.length, 0);

const exact = (answer: (typeof answers)[number]) => {
  const result = answer.schema.safeParse(JSON.parse(answer.bytes.toString("utf8")));
  if (!result.success) throw new Error("the exact path refused a sandbox answer");
  return result.data;
};
const fast = (answer: (typeof answers)[number]) => answer.schema.readBytes!(answer.bytes);
let givenUp = 0;
for (const answer of answers) {
  const read = fast(answer);
  if (read === undefined) givenUp++;
  else deepStrictEqual(read, exact(answer));
}

const spent = { exact: [] as number[], bytes: [] as number[] };
let sink = 0;
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? (["exact", "bytes"] as const) : (["bytes", "exact"] as const);
  for (const way of order) {
    const start = process.cpuUsage();
    for (const answer of answers) sink += way === "exact" ? (exact(answer) ? 1 : 0) : fast(answer) ? 1 : 0;
    const used = process.cpuUsage(start);
    spent[way].push((used.user + used.system) / 1000);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `${people} people × ${days} days: ${answers.length} provider answers, ${bytes} bytes, ${givenUp} given up; ` +
    `median of ${rounds} alternating rounds, load average ${loadavg()[0]!.toFixed(1)}`,
);
console.log(`  text + JSON.parse + shape check   ${median(spent.exact).toFixed(2)} ms`);
console.log(`  byte readers                      ${median(spent.bytes).toFixed(2)} ms`);
const ratios = spent.bytes.map((ms, index) => ms / spent.exact[index]!).sort((a, b) => a - b);
console.log(`  bytes ÷ exact per round: median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}`);
if (sink < 0) console.log(sink);

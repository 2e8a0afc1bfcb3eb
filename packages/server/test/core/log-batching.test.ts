/**
 * Log lines to standard output are written a turn of the event loop at a
 * time (issue 15): one write per turn instead of one system call per request,
 * nothing lost when the process ends by itself, by `process.exit` (as the
 * SIGTERM shutdown does) or by an uncaught exception.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { batchLines } from "../../src/log.ts";

const turnEnd = () => new Promise((resolve) => setImmediate(resolve));

describe("batchLines", () => {
  it("hands the lines of one turn to the sink as one chunk, in order, at the end of the turn", async () => {
    const chunks: string[] = [];
    const lines = batchLines((chunk) => chunks.push(chunk));
    lines.write("one");
    lines.write("two");
    lines.write("three");
    expect(chunks).toEqual([]);
    await turnEnd();
    expect(chunks).toEqual(["one\ntwo\nthree\n"]);
    lines.write("four");
    await turnEnd();
    expect(chunks).toEqual(["one\ntwo\nthree\n", "four\n"]);
  });

  it("writes at once when a turn gathers more than its limit, and on flush()", async () => {
    const chunks: string[] = [];
    const lines = batchLines((chunk) => chunks.push(chunk), 10);
    lines.write("12345");
    lines.write("67890");
    expect(chunks).toEqual(["12345\n67890\n"]);
    lines.write("tail");
    lines.flush();
    expect(chunks).toEqual(["12345\n67890\n", "tail\n"]);
    await turnEnd();
    expect(chunks).toHaveLength(2);
  });
});

describe("the logger's standard output", () => {
  const logFile = new URL("../../src/log.ts", import.meta.url).pathname;
  const run = (ending: string) =>
    spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `import { createLogger } from ${JSON.stringify(logFile)};
         const logger = createLogger({ level: "info" });
         for (let index = 0; index < 3; index++) logger.info("line", { index });
         ${ending}`,
      ],
      { encoding: "utf8" },
    );
  const indexes = (stdout: string) =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line).index);

  for (const [name, ending, status] of [
    ["the end of the event loop", "", 0],
    ["process.exit in the same turn", "process.exit(0);", 0],
    ["an uncaught exception in the same turn", "throw new Error('boom');", 1],
  ] as const) {
    it(`writes every pending line at ${name}`, () => {
      const result = run(ending);
      expect(result.status).toBe(status);
      expect(indexes(result.stdout)).toEqual([0, 1, 2]);
    });
  }
});

#!/usr/bin/env node
// `pnpm test`: every test. Typecheck, the server suite on SQLite and on
// PostgreSQL, the widget suite in Chromium, then the demo launcher. Prints one closing line
// "N passed, N failed", after the name of every failed test, and exits non-zero when anything failed.
//
// The server suite spends most of its time waiting (its one worker waits on databases, server processes and
// timers: a load of 1-2 on 2 cores), so the widget suite and then the node --test scripts run alongside it, their
// output kept in a file each and printed after the server suite's (issue ci7). They share nothing with the server
// suite: every server they start binds its own free port, and every database and data directory is their own.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const reports = mkdtempSync(join(tmpdir(), "tsunagu-test-"));
const totals = { passed: 0, failed: 0 };
/** Each failed test as "file: title", repeated at the end so the last lines of a long log say what failed. */
const failures = [];
let broken = false;

/**
 * Runs one step; resolves true when it passed. With `options.log` its output goes to that file (a step running
 * alongside another), and `printLog` prints it later; otherwise straight to this process's output.
 */
async function step(title, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n▶ ${title}${options.log ? " (alongside; its output follows when the server suite is done)" : ""}`);
  const output = options.log ? openSync(options.log, "w") : "inherit";
  const child = spawn(command, args, {
    stdio: ["ignore", output, output],
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
  });
  const [code, signal] = await new Promise((resolve) => child.on("close", (...exit) => resolve(exit)));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    console.error(`✖ ${title} failed (exit ${code ?? signal}) after ${seconds} s`);
    broken = true;
  } else {
    console.log(`✔ ${title}: ${seconds} s`);
  }
  return code === 0;
}

function printLog(title, file) {
  console.log(`\n▶ ${title} (ran alongside the server suite)`);
  if (existsSync(file)) process.stdout.write(readFileSync(file, "utf8"));
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  for (const suite of report.testResults ?? []) {
    const file = suite.name.replace(root, "");
    if (suite.status === "failed" && suite.assertionResults?.every((test) => test.status !== "failed")) {
      failures.push(`${file}: ${suite.message?.split("\n")[0] || "failed outside any test"}`);
    }
    for (const test of suite.assertionResults ?? []) {
      if (test.status === "failed") failures.push(`${file}: ${test.fullName}`);
    }
  }
}

function countWidgets(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += report.passed ?? 0;
  totals.failed += report.failed ?? 0;
  failures.push(...(report.failures ?? []));
}

function countTap(file) {
  if (!existsSync(file)) return;
  const tap = readFileSync(file, "utf8");
  totals.passed += Number(/^# pass (\d+)$/m.exec(tap)?.[1] ?? 0);
  totals.failed += Number(/^# fail (\d+)$/m.exec(tap)?.[1] ?? 0);
  // Node's TAP opens each test with an indented "# Subtest: title" line; a failed suite fails with its tests, so
  // only the innermost failures are named.
  const path = [];
  const failed = [];
  for (const line of tap.split("\n")) {
    const opened = /^( *)# Subtest: (.*)$/.exec(line);
    if (opened) {
      path.length = opened[1].length / 4;
      path.push(opened[2]);
    } else if (/^ *not ok \d+ - /.test(line)) {
      failed.push(path.slice(0, line.search(/\S/) / 4 + 1).join(" › "));
    }
  }
  failures.push(...failed.filter((name) => !failed.some((other) => other.startsWith(`${name} › `))));
}

await step("typecheck (tsc -b)", "npx", ["tsc", "-b"]);
// Formatting and lint rules (biome.json): fails on any file the formatter would change or any lint finding.
await step("format and lint (biome ci)", "npx", ["biome", "ci", "--error-on-warnings", "."]);

const chrome = process.env.CHROME_PATH || "/usr/bin/chromium";
if (!existsSync(chrome)) {
  console.error(
    `Chromium is needed for the widget tests and was not found at ${chrome}.\nInstall Debian's package (apt-get ` +
      `install -y chromium) or set CHROME_PATH.`,
  );
  process.exit(1);
}
if (
  !process.env.TSUNAGU_TEST_DATABASE_URL &&
  !(await step("PostgreSQL for the tests", "bash", ["scripts/ensure-postgres.sh"]))
) {
  console.error(
    "The server suite also runs on PostgreSQL. Start one and set TSUNAGU_TEST_DATABASE_URL, or run as root on Debian " +
      "so scripts/ensure-postgres.sh can start the local cluster.",
  );
  process.exit(1);
}

// Both projects (SQLite and PostgreSQL) in one vitest run, so their files share the workers (vitest.config.ts).
const serverReport = join(reports, "server.json");
const server = step(
  "server tests on sqlite and postgres",
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${serverReport}`],
  { cwd: join(root, "packages/server") },
);

const widgetsTitle = "widget tests in Chromium";
const widgetsLog = join(reports, "widgets.log");
const widgetsReport = join(reports, "widgets.json");
const launcherTitle =
  "demo launcher, demo page axe, demo end to end, widget package exports, consumers, the server's package, " +
  "custom-elements.json, size budget and line length (node --test)";
const launcherLog = join(reports, "launcher.log");
const launcherReport = join(reports, "launcher.tap");
// The widget suite, then the scripts, two at a time: they start their own servers on free ports, Chromium
// profiles and data directories of their own; only scripts/consumer.test.mjs builds packages/widgets/dist, which
// no other of them reads.
const alongside = (async () => {
  await step(widgetsTitle, "npx", ["wtr"], {
    cwd: join(root, "packages/widgets"),
    env: { TSUNAGU_TEST_REPORT: widgetsReport },
    log: widgetsLog,
  });
  await step(
    launcherTitle,
    process.execPath,
    [
      "--test",
      "--test-concurrency=2",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${launcherReport}`,
      "scripts/demo.test.mjs",
      "scripts/demo-axe.test.mjs",
      "scripts/demo-e2e.test.mjs",
      "scripts/widgets-exports.test.mjs",
      "scripts/consumer.test.mjs",
      "scripts/server-package.test.mjs",
      "scripts/custom-elements-manifest.test.mjs",
      "scripts/size-budget.test.mjs",
      "packages/widgets/scripts/minify-templates.test.mjs",
      "scripts/line-length.test.mjs",
    ],
    { log: launcherLog },
  );
})();

await server;
countVitest(serverReport);
await alongside;
printLog(widgetsTitle, widgetsLog);
countWidgets(widgetsReport);
printLog(launcherTitle, launcherLog);
countTap(launcherReport);

if (broken && totals.failed === 0) totals.failed = 1;
if (failures.length > 0) console.log(`\nFailed:\n${failures.map((name) => `  ✖ ${name}`).join("\n")}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(broken ? 1 : 0);

// The `pnpm demo` launcher as a user meets it: it stops every child when its
// terminal closes, and a busy port is one readable line. Run by `pnpm test`
// with Node's own test runner (the launcher is plain Node, like this file).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { freePorts, portIsFree, startLauncher, waitFor } from "./demo-harness.mjs";
import { formatServerLine } from "./demo-log.mjs";

const Database = createRequire(new URL("../packages/server/package.json", import.meta.url))("better-sqlite3");

/** Until the launcher says the demo is ready (its output so far, when it does not). */
const demoReady = (demo) =>
  waitFor(
    () => demo.output().includes("Demo ready"),
    90_000,
    () => `the demo to start:\n${demo.output()}`,
  );

const everyPortFree = async (ports) => (await Promise.all(ports.all.map(portIsFree))).every(Boolean);

/** Closes the demo as its terminal closing does (SIGHUP to the launcher's group), until every port of it is free. */
async function closeAsTerminal(demo, ports) {
  process.kill(-demo.child.pid, "SIGHUP");
  await demo.exited;
  await waitFor(() => everyPortFree(ports), 15_000, "every port to be free");
}

describe("pnpm demo", () => {
  it("stops the server, the four fakes and the portal when its terminal closes (SIGHUP to its process group)", {
    timeout: 120_000,
  }, async () => {
    const ports = await freePorts();
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-demo-"));
    const demo = startLauncher(ports, dataDir);
    try {
      await demoReady(demo);
      for (const port of ports.all)
        assert.equal(await portIsFree(port), false, `port ${port} should be in use while the demo runs`);
      await closeAsTerminal(demo, ports);
    } finally {
      try {
        process.kill(-demo.child.pid, "SIGKILL");
      } catch {
        // Already gone, as it should be.
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("introduces every portal user to the server, so one who never opened a page can be an interviewer", {
    timeout: 120_000,
  }, async () => {
    const ports = await freePorts();
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-demo-"));
    const demo = startLauncher(ports, dataDir);
    try {
      await demoReady(demo);
      // The server's own record of who it knows (the demo keeps it in SQLite): 鈴木 美咲 never opened a page.
      const database = new Database(join(dataDir, "tsunagu.sqlite"), { readonly: true });
      const known = () =>
        database
          .prepare(
            "SELECT user_id, email FROM users WHERE host_id = 'demo-portal' AND org_id = 'sakura' ORDER BY user_id",
          )
          .all();
      try {
        await waitFor(
          () => known().some((user) => user.user_id === "misaki"),
          30_000,
          () => `the portal's users to be introduced; the server knows ${JSON.stringify(known())}`,
        );
        assert.deepEqual(
          known().find((user) => user.user_id === "misaki"),
          { user_id: "misaki", email: "misaki.suzuki@sakura-recruit.example" },
        );
      } finally {
        database.close();
      }
    } finally {
      // Not a SIGKILL to the launcher's group: the server and the portal, in groups of their own, would go on running.
      await closeAsTerminal(demo, ports);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("stops everything when the process that started it (pnpm) is killed alone and passes nothing on", {
    timeout: 120_000,
  }, async () => {
    const ports = await freePorts();
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-demo-"));
    const demo = startLauncher(ports, dataDir, { viaParent: true });
    let launcherPid;
    try {
      await demoReady(demo);
      launcherPid = Number(/launcher pid (\d+)/.exec(demo.output())?.[1]);
      assert.ok(launcherPid > 0, demo.output());
      // SIGKILL: the parent can pass nothing on, as pnpm passes nothing on when it is sent SIGTERM alone.
      process.kill(demo.child.pid, "SIGKILL");
      await demo.exited;
      await waitFor(
        () => everyPortFree(ports),
        30_000,
        () => `every port to be free:\n${demo.output()}`,
      );
      await waitFor(() => !isRunning(launcherPid), 15_000, "the launcher to exit");
      assert.match(demo.output(), /The process that started the demo has exited; stopping the demo\./);
    } finally {
      for (const pid of [-demo.child.pid, launcherPid]) {
        try {
          if (pid) process.kill(pid, "SIGKILL");
        } catch {
          // Already gone, as it should be.
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("names a busy port and how to choose others, in one line, instead of a stack trace", {
    timeout: 30_000,
  }, async () => {
    const ports = await freePorts();
    const squatter = createServer();
    await new Promise((resolve) => squatter.listen(ports.demo, "localhost", resolve));
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-demo-"));
    try {
      const demo = startLauncher(ports, dataDir);
      const { code } = await demo.exited;
      assert.equal(code, 1);
      const lines = demo
        .output()
        .trim()
        .split("\n")
        .filter((line) => !line.startsWith("Created a local development"));
      assert.equal(lines.length, 1, demo.output());
      assert.match(lines[0], new RegExp(`^Port ${ports.demo} \\(the demo portal\\) is in use`));
      // The command as README's Quick start writes it: a newcomer who followed it may have no pnpm of their own.
      assert.match(lines[0], /PORT=\d+ TSUNAGU_DEMO_PORT=\d+ npx --yes pnpm@10 demo /);
      assert.doesNotMatch(demo.output(), /\bat .+:\d+:\d+\)/, "no stack trace");
      for (const port of [ports.server, ports.server + 1])
        assert.equal(await portIsFree(port), true, "nothing else was started");
    } finally {
      squatter.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the demo's server log lines", () => {
  const line = (entry) => JSON.stringify({ time: "2026-11-29T10:00:00.000Z", ...entry });

  it("shows a request as method, path, status and time, with the caller", () => {
    const shown = formatServerLine(
      line({
        level: "info",
        message: "request",
        requestId: "r1",
        method: "GET",
        path: "/v1/accounts",
        status: 200,
        ms: 4,
        host: "demo-portal",
        org: "sakura",
        user: "u-tanaka",
      }),
    );
    assert.equal(shown, "GET /v1/accounts 200 4ms (sakura/u-tanaka)");
  });

  it("shows a refusal's code after its status", () => {
    const shown = formatServerLine(
      line({
        level: "info",
        message: "request",
        requestId: "r3",
        method: "GET",
        path: "/v1/me",
        status: 401,
        ms: 1,
        errorCode: "token_signature",
      }),
    );
    assert.equal(shown, "GET /v1/me 401 token_signature 1ms");
  });

  it("shows a refused preflight with the origin it was refused for", () => {
    const shown = formatServerLine(
      line({
        level: "info",
        message: "request",
        method: "OPTIONS",
        path: "/v1/me",
        status: 403,
        ms: 0,
        errorCode: "origin_not_allowed",
        origin: "http://127.0.0.1:5173",
      }),
    );
    assert.equal(shown, "OPTIONS /v1/me 403 origin_not_allowed 0ms (from http://127.0.0.1:5173)");
  });

  it("does not say twice a field the message already says", () => {
    const file = "/home/me/tsunagu/.data/sandbox-state.json";
    assert.equal(
      formatServerLine(line({ level: "info", message: `sandbox state loaded from ${file}`, file, fakes: 4 })),
      `sandbox state loaded from ${file} fakes=4`,
    );
  });

  it("leaves out preflights and successful health checks", () => {
    assert.equal(
      formatServerLine(
        line({ level: "info", message: "request", method: "OPTIONS", path: "/v1/me", status: 204, ms: 0 }),
      ),
      null,
    );
    assert.equal(
      formatServerLine(
        line({ level: "info", message: "request", method: "GET", path: "/healthz", status: 200, ms: 1 }),
      ),
      null,
    );
    assert.equal(
      formatServerLine(
        line({ level: "info", message: "request", method: "GET", path: "/healthz", status: 503, ms: 1 }),
      ),
      "GET /healthz 503 1ms",
    );
  });

  it("keeps a warning's level, message and fields, and passes other output unchanged", () => {
    const shown = formatServerLine(
      line({
        level: "warn",
        message: "oauth flow refused",
        provider: "google",
        refusal: "consent_denied",
        requestId: "r2",
      }),
    );
    assert.equal(shown, "warn: oauth flow refused provider=google refusal=consent_denied");
    assert.equal(formatServerLine("plain text from a child"), "plain text from a child");
  });
});

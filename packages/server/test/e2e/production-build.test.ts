/**
 * The production build and its shutdown. `pnpm build` bundles the server into
 * plain ES modules (scripts/build.mjs); this suite builds into a scratch
 * folder, runs the built `main.js` under plain Node (no tsx) on the suite's
 * database, and sends it SIGTERM while a request is in flight at Zoom (the
 * fake holds the call): the request still gets its answer, the listener stops
 * taking connections at once, and the process exits 0 once the request is done.
 * The built CLI runs under plain Node too.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startZoomServers, type ZoomServers } from "./zoom-servers.ts";
import { waitFor } from "../support/wait.ts";

const serverRoot = new URL("../..", import.meta.url).pathname;
// Inside the package, so the bundle's imports of hono, kysely, … resolve from its node_modules as dist/ does.
const outdir = mkdtempSync(join(serverRoot, ".dist-test-"));
let t: ZoomServers;
const hanako: Person = { sub: "hanako", role: "admin" };
const ken: Person = { sub: "ken", role: "recruiter" };

beforeAll(async () => {
  const build = spawnSync(process.execPath, ["scripts/build.mjs", outdir], { cwd: serverRoot, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}\n${build.stderr}`);
  t = await startZoomServers(1, { TSUNAGU_LOG_LEVEL: "info" }, { builtMain: join(outdir, "main.js") });
}, 90_000);

afterAll(async () => {
  await t?.close();
  rmSync(outdir, { recursive: true, force: true });
});

describe("the server built for production", () => {
  it("runs under plain Node and links accounts", async () => {
    const [server] = t.processes as [(typeof t.processes)[number]];
    expect(await t.link(server, hanako, "zU_hanako", "org")).toMatchObject({ status: "linked" });
    const linked = await t.link(server, ken, "zU_ken", "personal");
    expect(linked).toMatchObject({ status: "linked", provider: "zoom" });
  });

  it("runs with the V8 setting of v8-settings.ts and says so when it starts listening", () => {
    const [server] = t.processes as [(typeof t.processes)[number]];
    const listening = server
      .output()
      .split("\n")
      .find((line) => line.includes('"message":"tsunagu server listening"'));
    expect(JSON.parse(listening ?? "{}")).toMatchObject({ v8: ["--no-allocation-site-pretenuring"] });
  });

  it("on SIGTERM (twice) stops listening at once, finishes the request in flight, and exits 0", async () => {
    const [server] = t.processes as [(typeof t.processes)[number]];
    const accounts = (await (await t.call(server, ken, "GET", "/v1/accounts")).json()) as {
      accounts: Array<{ id: string; provider: string }>;
    };
    const account = accounts.accounts.find((entry) => entry.provider === "zoom");
    expect(account).toBeDefined();

    // The account check calls Zoom; the fake holds it for 3 s.
    await t.zoom.running.control("/latency", { ms: 3_000 });
    const before = await t.zoom.running.calls("GET /v2/users/me");
    const inFlight = t.call(server, ken, "POST", `/v1/accounts/${account?.id}/check`);
    await waitFor("the check's call at Zoom", async () =>
      (await t.zoom.running.calls("GET /v2/users/me")) > before ? true : undefined,
    );

    const stopped = server.stop();
    // A second SIGTERM a moment later, as `pnpm demo` sends one to the process group and pnpm passes one on.
    process.kill(server.pid, "SIGTERM");
    // New connections are refused while the request in flight is still being answered.
    await waitFor("the listener to close", async () =>
      fetch(`${server.baseUrl}/healthz`).then(
        () => undefined,
        () => true,
      ),
    );
    expect(server.alive()).toBe(true);

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ status: "active" });
    await stopped;
    await t.zoom.running.control("/latency", { ms: 0 });
    expect(server.exitCode()).toBe(0);
    const log = server.output();
    expect(log).toContain('"message":"shutting down","signal":"SIGTERM"');
    expect(log).not.toContain("shutdown failed");
    expect(log).not.toMatch(/Unhandled|uncaught/i);
    // The request finished after the shutdown began, and was logged with its status.
    expect(log.indexOf('"message":"shutting down"')).toBeLessThan(
      log.indexOf(`"path":"/v1/accounts/${account?.id}/check"`),
    );
  });

  it("on SIGTERM with a request that outlasts the 10 s limit, exits 1 and says why", async () => {
    const server = await t.startAnother();
    const accounts = (await (await t.call(server, ken, "GET", "/v1/accounts")).json()) as {
      accounts: Array<{ id: string; provider: string }>;
    };
    const account = accounts.accounts.find((entry) => entry.provider === "zoom");
    await t.zoom.running.control("/latency", { ms: 15_000 });
    const before = await t.zoom.running.calls("GET /v2/users/me");
    const inFlight = t.call(server, ken, "POST", `/v1/accounts/${account?.id}/check`).catch(() => "cut" as const);
    await waitFor("the check's call at Zoom", async () =>
      (await t.zoom.running.calls("GET /v2/users/me")) > before ? true : undefined,
    );
    await server.stop();
    await t.zoom.running.control("/latency", { ms: 0 });
    await t.zoom.running.control("/release");
    expect(await inFlight).toBe("cut");
    expect(server.exitCode()).toBe(1);
    expect(server.output()).toContain('"message":"shutdown did not finish within 10 s; exiting with what was still');
  }, 30_000);

  it("builds a CLI that runs under plain Node", () => {
    const run = spawnSync(process.execPath, [join(outdir, "cli.js"), "keys", "generate", "--id", "k9"], {
      cwd: serverRoot,
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^k9:[A-Za-z0-9_-]{43}$/);
  });
});

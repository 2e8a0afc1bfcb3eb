/**
 * Runs the real entry (`src/main.ts` through tsx, as `pnpm --filter @tsunagu/server dev` does, or the built
 * `dist/main.js` that `pnpm start` runs) as a child
 * process on a free loopback port, against the suite's database.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { testDatabaseUrl } from "./database.ts";

export interface ServerProcess {
  baseUrl: string;
  /** The process id (for its CPU time in /proc/<pid>/stat, say). */
  pid: number;
  output(): string;
  /** False once the process has exited (a crash, say). */
  alive(): boolean;
  /** The exit code once the process has exited (null while it runs or when a signal ended it). */
  exitCode(): number | null;
  stop(): Promise<void>;
  /** SIGKILL: the process dies mid-work, as in a crash; resolves once it has exited. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export function encryptionKeyEntry(id = "k1"): string {
  return `${id}:${randomBytes(32).toString("base64url")}`;
}

/** A database URL for one server process: its own PostgreSQL schema, or undefined for SQLite in the data dir. */
export async function isolatedDatabaseUrl(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  if (!testDatabaseUrl) return { url: undefined, drop: async () => undefined };
  const schema = `e_${randomBytes(8).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: testDatabaseUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/** How to run the server: the TypeScript entry under tsx (default), or a built `main.js` under plain Node. */
export interface ServerEntry {
  /** A built entry (`scripts/build.mjs`'s main.js); absent: src/main.ts through tsx. */
  builtMain?: string;
}

/**
 * Starts the server and waits for /healthz; rejects with the server's output if it exits first. The port is found free
 * and then given to the server, so another listener can take it in between (the sandbox's fakes, opened by the server
 * itself on ports the system picks, did once in CI): a start refused for that alone is tried again on another port.
 */
export async function startServerProcess(
  env: Record<string, string | undefined>,
  entry: ServerEntry = {},
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(env, entry);
    } catch (error) {
      if (attempt === 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

/** The server exited at start because its port was taken (main.ts says so with the code). */
class PortTakenError extends Error {}

async function startServerOnce(env: Record<string, string | undefined>, entry: ServerEntry): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-e2e-"));
  let output = "";
  const args = entry.builtMain ? ["--enable-source-maps", entry.builtMain] : ["--import", "tsx", "src/main.ts"];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: new URL("../..", import.meta.url).pathname,
    env: { PATH: process.env.PATH, PORT: String(port), TSUNAGU_DATA_DIR: dataDir, TSUNAGU_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let running = true;
  let exitCode: number | null = null;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      running = false;
      exitCode = code;
      resolve(code);
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    // A loaded machine (CI next to other work) can take tens of seconds to start a process that compiles TypeScript.
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${baseUrl}/healthz`)).ok) return true;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  })();
  const first = await Promise.race([ready.then((ok) => (ok ? "ready" : "timeout")), exited.then(() => "exited")]);
  if (first !== "ready") {
    child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    const message = `server did not start (${first}):\n${output}`;
    throw first === "exited" && output.includes("(EADDRINUSE)") ? new PortTakenError(message) : new Error(message);
  }
  return {
    baseUrl,
    pid: child.pid!,
    output: () => output,
    alive: () => running,
    exitCode: () => exitCode,
    async stop() {
      if (running) child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Runs the entry and returns its exit code and output (for refusals at start-up). */
export function runServerToExit(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: new URL("../..", import.meta.url).pathname,
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

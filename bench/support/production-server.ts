/**
 * The built server started as `pnpm start` runs it, for the benches that
 * drive it without the test app (http.bench.ts, postgres-diagnose.ts): a
 * free loopback port, production mode, the bench's hosts file, a fresh
 * encryption key, the bench-only baseline routes, logs written as in
 * production to a sink nobody reads; ready once /bench/bare answers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { serverDir } from "./server-build.ts";

export interface ProductionServerOptions {
  /** The built entry (server-build.ts). */
  main: string;
  hostsFile: string;
  dataDir: string;
  /** PostgreSQL; SQLite in `dataDir` when absent. */
  databaseUrl?: string | undefined;
  /** Node options before the entry (`--cpu-prof`, say). */
  nodeArgs?: string[];
  /** Added to the server's environment (NODE_OPTIONS with a preloaded hook, say). */
  env?: Record<string, string>;
}

export interface ProductionServer {
  url: string;
  pid: number;
  /** SIGTERM, resolved once the process has exited. */
  stop(): Promise<void>;
}

export async function startProductionServer(options: ProductionServerOptions): Promise<ProductionServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), "--enable-source-maps", options.main],
    {
      cwd: serverDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        PORT: String(port),
        TSUNAGU_HOSTS_FILE: options.hostsFile,
        TSUNAGU_DATA_DIR: options.dataDir,
        TSUNAGU_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64url")}`,
        TSUNAGU_LOG_LEVEL: "info",
        TSUNAGU_BENCH_ROUTES: "1",
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
        ...options.env,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/bench/bare`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error("the server did not answer within 60 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

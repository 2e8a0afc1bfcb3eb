#!/usr/bin/env node
// `pnpm demo`: the Tsunagu server with the sandbox providers on SQLite, and
// the さくら採用 demo portal in front of it. Writes its local secrets into
// ./.data on first run, prefixes each child's output (the server's JSON lines
// as one compact line each), and stops every child when either dies, on
// Ctrl-C, on SIGTERM, when its terminal closes (SIGHUP) and when the process
// that started it (pnpm) exits. Ports: PORT for
// the server (default 8787; the four fakes take the next four) and
// TSUNAGU_DEMO_PORT for the portal (default 5173). Plain Node: no dependencies.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative, resolve } from "node:path";
import { createInterface } from "node:readline";
import { formatServerLine } from "./demo-log.mjs";

const root = new URL("..", import.meta.url).pathname;
const serverPort = portFromEnvironment("PORT", 8787);
const demoPort = portFromEnvironment("TSUNAGU_DEMO_PORT", 5173);
/** The sandbox's four fakes listen on the ports after the server's (the server's own default for TSUNAGU_SANDBOX_PORT).
 * */
const fakePorts = [1, 2, 3, 4].map((offset) => serverPort + offset);
const serverUrl = `http://localhost:${serverPort}`;
const demoUrl = `http://localhost:${demoPort}`;
const hostId = "demo-portal";
/** TSUNAGU_DEMO_VERBOSE=1 prints the server's JSON log lines as they are, every request included. */
const verbose = process.env.TSUNAGU_DEMO_VERBOSE === "1";
const colour = process.stdout.isTTY === true;

// A closed terminal makes every later write fail (EIO/EPIPE); that must not kill the launcher before it stops its
// children.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});

function portFromEnvironment(name, fallback) {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`${name} must be a port number (1-65535), got "${raw}".`);
    process.exit(2);
  }
  return port;
}

/** Resolves with true when nothing listens on the port (on any address, IPv4 or IPv6). */
function portIsFree(port) {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once("error", () => resolvePort(false));
    probe.listen({ port, exclusive: true }, () => probe.close(() => resolvePort(true)));
  });
}

const ports = [
  { port: serverPort, what: "the Tsunagu server" },
  ...fakePorts.map((port) => ({ port, what: "a sandbox provider" })),
  { port: demoPort, what: "the demo portal" },
];
for (const { port, what } of ports) {
  if (!(await portIsFree(port))) {
    console.error(
      `Port ${port} (${what}) is in use, perhaps by another \`pnpm demo\`. Stop it, or choose other ports: ` +
        `PORT=${serverPort + 10} TSUNAGU_DEMO_PORT=${demoPort + 1} npx --yes pnpm@10 demo ` +
        "(the server's port and the next four are used).",
    );
    process.exit(1);
  }
}

const dataDir = resolve(root, process.env.TSUNAGU_DATA_DIR || ".data");
mkdirSync(dataDir, { recursive: true });

const encryptionKeyFile = join(dataDir, "dev-encryption-key");
const hostSecretFile = join(dataDir, "demo-host-secret");
const hostsFile = join(dataDir, "demo-hosts.json");

function displayPath(file) {
  const fromRoot = relative(root, file);
  return fromRoot.startsWith("..") ? file : fromRoot;
}

/** Reads a secret file, writing it first when it does not exist; mode 0600 either way. */
function ensureSecretFile(file, create) {
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return { value: readFileSync(file, "utf8").trim(), created: false };
  }
  const value = create();
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  return { value, created: true };
}

const today = new Date().toISOString().slice(0, 10).replaceAll("-", "");
const encryptionKey = ensureSecretFile(
  encryptionKeyFile,
  () => `dev-${today}:${randomBytes(32).toString("base64url")}`,
);
if (encryptionKey.created) {
  console.log(
    `Created a local development encryption key in ${displayPath(encryptionKeyFile)} (demo only; production must set ` +
      `TSUNAGU_ENCRYPTION_KEYS)`,
  );
}
const hostSecret = ensureSecretFile(hostSecretFile, () => randomBytes(32).toString("base64url"));
writeFileSync(
  hostsFile,
  `${JSON.stringify([{ id: hostId, origins: [demoUrl], secret: hostSecret.value, algorithms: ["HS256"] }], null, 2)}\n`,
  { mode: 0o600 },
);
chmodSync(hostsFile, 0o600);

/** The pnpm that runs us (`pnpm demo` sets npm_execpath to its own script), else the one on PATH. */
const pnpm = /pnpm/.test(process.env.npm_execpath ?? "")
  ? { command: process.execPath, args: [process.env.npm_execpath] }
  : { command: "pnpm", args: [] };

const children = new Map();
let stopping = false;
let failure = false;

function start(name, args, env) {
  // --silent: pnpm's own banners and its "failed with signal SIGTERM" on a deliberate stop are noise; the child's
  // output stays.
  // Colour only for a terminal; NO_COLOR otherwise, so children do not force it either.
  const colourEnv = colour ? { FORCE_COLOR: process.env.FORCE_COLOR ?? "1" } : { NO_COLOR: "1", FORCE_COLOR: "0" };
  const child = spawn(pnpm.command, [...pnpm.args, "--silent", ...args], {
    cwd: root,
    env: { ...process.env, ...env, ...colourEnv },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    const target = stream === child.stderr ? process.stderr : process.stdout;
    createInterface({ input: stream }).on("line", (line) => {
      const shown = name === "server" && !verbose ? formatServerLine(line) : line;
      if (shown !== null) target.write(`[${name}] ${shown}\n`);
    });
  }
  child.on("error", (error) => {
    // A child that could not be spawned never emits "exit".
    children.delete(name);
    console.error(
      `[${name}] could not start: ${error.message}${error.code === "ENOENT" ? " (run the demo with `pnpm demo`)" : ""}`,
    );
    failure = true;
    stop();
  });
  child.on("exit", (code, signal) => {
    children.delete(name);
    // Once we are stopping, pnpm reports its signalled child as a failure: that is our doing, not the child's.
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? `code ${code}`}); stopping the demo.`);
      failure = true;
      stop();
    }
    if (children.size === 0) process.exit(failure ? 1 : 0);
  });
  return child;
}

/** Stops every child: SIGTERM to its process group (pnpm, tsx, node), SIGKILL after 10 s. */
function stop() {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) signalGroup(child, "SIGTERM");
  setTimeout(() => {
    for (const child of children.values()) signalGroup(child, "SIGKILL");
    process.exit(1);
  }, 10_000).unref();
  if (children.size === 0) process.exit(failure ? 1 : 0);
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

// Ctrl-C, a kill, and a closed terminal (SIGHUP) all stop every child: they run in process groups of their own.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);

// `pnpm demo` runs the launcher under pnpm and a shell. A SIGTERM to pnpm alone (`kill <pid of pnpm>`, a process
// manager) ends both without passing the signal on, and the launcher, the server and the portal would keep running with
// no terminal. So the launcher watches its parent: once adopted by another process (init or a subreaper), it stops
// every child as on SIGTERM.
const parentAtStart = process.ppid;
setInterval(() => {
  if (stopping || process.ppid === parentAtStart) return;
  console.error("The process that started the demo has exited; stopping the demo.");
  stop();
}, 1_000).unref();

start("server", ["--filter", "@tsunagu/server", "start"], {
  PORT: String(serverPort),
  TSUNAGU_SANDBOX: "1",
  TSUNAGU_SANDBOX_PORT: String(fakePorts[0]),
  // The fakes' grants, tokens, events and meetings survive a restart of the demo, as the server's database does.
  TSUNAGU_SANDBOX_STATE: join(dataDir, "sandbox-state.json"),
  TSUNAGU_DATA_DIR: dataDir,
  TSUNAGU_HOSTS_FILE: hostsFile,
  TSUNAGU_ENCRYPTION_KEYS: encryptionKey.value,
  TSUNAGU_PUBLIC_URL: serverUrl,
});
start("demo", ["--filter", "@tsunagu/demo", "dev"], {
  TSUNAGU_DEMO_PORT: String(demoPort),
  TSUNAGU_DEMO_HOST_SECRET_FILE: hostSecretFile,
  TSUNAGU_DEMO_SERVER_URL: serverUrl,
});

await waitForHealth();

async function waitForHealth() {
  const deadline = Date.now() + 120_000;
  while (!stopping && Date.now() < deadline) {
    try {
      const response = await fetch(`${serverUrl}/healthz`);
      if (response.ok) {
        console.log(
          `Demo ready: open ${demoUrl}${verbose ? "" : " (TSUNAGU_DEMO_VERBOSE=1 shows the server's full JSON log)"}`,
        );
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!stopping) {
    console.error(`The server did not answer ${serverUrl}/healthz within 2 minutes; stopping the demo.`);
    failure = true;
    stop();
  }
}

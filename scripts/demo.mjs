#!/usr/bin/env node
// `pnpm demo`: the Tsunagu server with the sandbox providers on SQLite, and
// the さくら採用 demo portal in front of it. Writes its local secrets into
// ./.data on first run, prefixes each child's output, and stops both children
// when either dies or on Ctrl-C. Plain Node: no dependencies.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { createInterface } from "node:readline";

const root = new URL("..", import.meta.url).pathname;
const serverPort = 8787;
const serverUrl = `http://localhost:${serverPort}`;
const demoUrl = "http://localhost:5173";
const hostId = "demo-portal";

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
const encryptionKey = ensureSecretFile(encryptionKeyFile, () => `dev-${today}:${randomBytes(32).toString("base64url")}`);
if (encryptionKey.created) {
  console.log(`Created a local development encryption key in ${displayPath(encryptionKeyFile)} (demo only; production must set TSUNAGU_ENCRYPTION_KEYS)`);
}
const hostSecret = ensureSecretFile(hostSecretFile, () => randomBytes(32).toString("base64url"));
writeFileSync(hostsFile, `${JSON.stringify([{ id: hostId, origins: [demoUrl], secret: hostSecret.value, algorithms: ["HS256"] }], null, 2)}\n`, { mode: 0o600 });
chmodSync(hostsFile, 0o600);

const children = new Map();
let stopping = false;
let failure = false;

function start(name, args, env) {
  // --silent: pnpm's own banners and its "failed with signal SIGTERM" on a deliberate stop are noise; the child's output stays.
  const child = spawn("pnpm", ["--silent", ...args], { cwd: root, env: { ...process.env, ...env, FORCE_COLOR: process.env.FORCE_COLOR ?? "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    const target = stream === child.stderr ? process.stderr : process.stdout;
    createInterface({ input: stream }).on("line", (line) => target.write(`[${name}] ${line}\n`));
  }
  child.on("error", (error) => {
    console.error(`[${name}] could not start: ${error.message}`);
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

process.on("SIGINT", stop);
process.on("SIGTERM", stop);

start("server", ["--filter", "@tsunagu/server", "start"], {
  PORT: String(serverPort),
  TSUNAGU_SANDBOX: "1",
  TSUNAGU_DATA_DIR: dataDir,
  TSUNAGU_HOSTS_FILE: hostsFile,
  TSUNAGU_ENCRYPTION_KEYS: encryptionKey.value,
  TSUNAGU_PUBLIC_URL: serverUrl,
});
start("demo", ["--filter", "@tsunagu/demo", "dev"], {
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
        console.log(`Demo ready: open ${demoUrl}`);
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

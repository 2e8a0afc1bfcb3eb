/**
 * Starting and waiting for `pnpm demo` in tests: free ports for the server,
 * its four fakes and the portal, and the launcher in a process group of its
 * own (as a terminal's job is).
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";

const launcher = new URL("./demo.mjs", import.meta.url).pathname;

export function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * A server port whose next four ports and a demo port are all free. All below 32768, where Linux's ephemeral ports
 * begin (ip_local_port_range 32768-60999): a port of that range found free here could be taken by another test's
 * outgoing connection in the seconds before the demo binds it ("Port 32940 is already in use").
 */
export async function freePorts() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const server = 20000 + Math.floor(Math.random() * 12000);
    const demo = server + 100;
    const all = [server, server + 1, server + 2, server + 3, server + 4, demo];
    if ((await Promise.all(all.map(portIsFree))).every(Boolean)) return { server, demo, all };
  }
  throw new Error("no free ports found");
}

/**
 * The launcher as `pnpm demo` starts it: `viaParent` puts a plain Node process between the test and the launcher, as
 * pnpm and its shell are, so that a test can kill that parent alone; its first output line is the launcher's pid.
 */
export function startLauncher(ports, dataDir, { viaParent = false } = {}) {
  const args = viaParent
    ? [
        "-e",
        `const { spawn } = require("node:child_process");
         const c = spawn(process.execPath, [${JSON.stringify(launcher)}], { stdio: "inherit" });
         console.log("launcher pid " + c.pid);
         setInterval(() => {}, 60_000);`,
      ]
    : [launcher];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      PORT: String(ports.server),
      TSUNAGU_DEMO_PORT: String(ports.demo),
      TSUNAGU_DATA_DIR: dataDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // A process group of its own, as a terminal's job is: SIGHUP goes to the whole group.
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => output };
}

export async function waitFor(predicate, timeoutMs, describe) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${typeof describe === "function" ? describe() : describe}`);
}

/**
 * The floor of the provider exchanges under `POST /v1/availability`: the CPU
 * this process spends on N HTTP exchanges all in flight at once, as the
 * server reads N calendar accounts, over loopback to a server in a process of
 * its own (so its CPU is not counted), each answer read whole into a string.
 * Three ways side by side in alternating rounds: bare node:http with a
 * keep-alive agent (what src/providers/transport.ts uses, nothing else),
 * transport.ts's `keepAliveSend` itself, and Node's fetch; each with tiny
 * answers and with answers the size of the sandbox's (about 13 KB each: 1.07 MB
 * over 75 answers for 50 people × 60 days). CPU time (user + system) per batch, median
 * of rounds. Not part of `pnpm bench`:
 *
 *   npx tsx availability-exchange-floor.ts [exchanges] [rounds]
 *   npx tsx availability-exchange-floor.ts 75 60
 */
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { keepAliveSend } from "../packages/server/src/providers/transport.ts";

const [exchanges = 75, rounds = 60] = process.argv.slice(2).map(Number);

// The answering server: `GET /<bytes>` answers a JSON body of that many bytes, keep-alive.
const serverSource = `
const http = require("node:http");
const bodies = new Map();
const server = http.createServer((req, res) => {
  const size = Number(req.url.slice(1)) || 2;
  let body = bodies.get(size);
  if (!body) { body = Buffer.from(JSON.stringify({ v: "x".repeat(Math.max(0, size - 8)) })); bodies.set(size, body); }
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.on("end", () => process.exit(0)); process.stdin.resume();
`;
const child = spawn(process.execPath, ["-e", serverSource], { stdio: ["pipe", "pipe", "inherit"] });
const port = await new Promise<number>((resolve) =>
  createInterface({ input: child.stdout! }).once("line", (line) => resolve(Number(line))),
);

const agent = new Agent({ keepAlive: true, timeout: 4_000 });
const bare = (url: string) =>
  new Promise<string>((resolve, reject) => {
    const outgoing = request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json" } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        answer.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end("{}");
  });
const transport = async (url: string) =>
  (
    await keepAliveSend(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
      timeoutMs: 10_000,
    })
  ).text;
const fetched = async (url: string) => (await fetch(url, { method: "POST", body: "{}" })).text();

const ways = { "bare node:http": bare, "transport.ts keepAliveSend": transport, "fetch (undici)": fetched };
const sizes = [2, 13_000];
const spent = new Map<string, number[]>();
let sink = 0;
const batch = async (send: (url: string) => Promise<string>, size: number) => {
  const texts = await Promise.all(Array.from({ length: exchanges }, () => send(`http://127.0.0.1:${port}/${size}`)));
  for (const text of texts) sink += text.length;
};
// Warm-up: sockets opened, code compiled.
for (const send of Object.values(ways)) for (const size of sizes) for (let i = 0; i < 5; i++) await batch(send, size);
const loadAtStart = loadavg()[0]!;
for (let round = 0; round < rounds; round++) {
  const entries = Object.entries(ways);
  if (round % 2) entries.reverse();
  for (const [name, send] of entries) {
    for (const size of sizes) {
      const start = process.cpuUsage();
      await batch(send, size);
      const used = process.cpuUsage(start);
      const key = `${name}, ${size} B answers`;
      spent.set(key, [...(spent.get(key) ?? []), (used.user + used.system) / 1000]);
    }
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `${exchanges} exchanges in flight at once per batch, ${rounds} alternating rounds, load average ` +
    `${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}; CPU of this process per batch (median)`,
);
for (const [key, values] of spent) {
  const ms = median(values);
  console.log(`  ${key.padEnd(44)} ${ms.toFixed(2).padStart(6)} ms  (${((ms / exchanges) * 1000).toFixed(0)} µs each)`);
}
if (sink < 0) console.log(sink);
agent.destroy();
child.stdin!.end();

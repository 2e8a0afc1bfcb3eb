import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { benchDirectory, benchKeys } from "./support/fixture.ts";
const keys = await benchKeys();
const files = benchDirectory(keys.hostsEntries);
const port = 18999;
const child = spawn(process.execPath, ["--cpu-prof", "--cpu-prof-dir=/tmp/profhttp", "--import", "tsx", "src/main.ts"], { cwd: "../packages/server", env: { PATH: process.env.PATH, PORT: String(port), TSUNAGU_HOSTS_FILE: files.hostsFile, TSUNAGU_DATA_DIR: files.dir + "/d", TSUNAGU_ENCRYPTION_KEYS: `b:${randomBytes(32).toString("base64url")}`, TSUNAGU_BENCH_ROUTES: "1" }, stdio: ["ignore", "ignore", "inherit"] });
for (;;) { if (await fetch(`http://127.0.0.1:${port}/bench/bare`).then(r => r.ok, () => false)) break; await new Promise(r => setTimeout(r, 200)); }
const path = process.env.ROUTE ?? "/v1/me";
const r = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 50, duration: 8, headers: { authorization: `Bearer ${keys.tokens[(process.env.ALG ?? "HS256") as "HS256"]}`, origin: "https://portal.example" } });
console.log(r.requests.average, r.latency.p50, r.latency.p99, r.non2xx);
child.kill("SIGINT"); await new Promise(r => child.once("exit", r)); files.cleanup();

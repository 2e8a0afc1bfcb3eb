import autocannon from "autocannon";
const { startZoomServers } = await import("../packages/server/test/e2e/zoom-servers.ts");
const hour = 3600_000;
const servers = await startZoomServers(1, {
  NODE_ENV: "production",
  TSUNAGU_LOG_LEVEL: "info",
  TSUNAGU_BENCH_ROUTES: "1",
  NODE_OPTIONS: process.env.PROF ? "--require /tmp/b2prof-hook.cjs" : "",
});
const admin = { sub: "hanako", role: "admin" } as const;
const recruiter = { sub: "ken", role: "recruiter" } as const;
const [first] = servers.processes;
await servers.link(first!, admin, "zU_hanako", "org");
await servers.link(first!, recruiter, "zU_recruiting", "personal");
await servers.call(first!, admin, "PUT", "/v1/zoom/settings", { plan: "business", limits: {} });
const headers = await servers.headersOf(recruiter);
const start = new Date(Math.floor(Date.now() / hour) * hour + 72 * hour);
const query = `start=${start.toISOString()}&end=${new Date(start.getTime() + hour).toISOString()}`;
const one = await fetch(`${first!.baseUrl}/v1/zoom/hosts?${query}`, { headers });
console.log(one.status, await one.text());
const zs = () => fetch(`${servers.zoom.running.baseUrl}/_control/stats`).then((r) => r.json());
console.log("zoom calls before", JSON.stringify(await zs()));
for (const path of ["/bench/bare", `/v1/me`, `/v1/zoom/hosts?${query}`]) {
  const r = await autocannon({ url: `${first!.baseUrl}${path}`, connections: 50, duration: 3, headers });
  console.log(path, r.requests.average, r.latency.p50, r.latency.p99, r.non2xx, r.errors);
}
console.log("zoom calls after", JSON.stringify(await zs()));
await servers.close();

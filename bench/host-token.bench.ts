/**
 * What one authenticated request costs in process, through the whole
 * pipeline (request id and log line, secure headers, CORS, host-token checks,
 * caller recording, the route's SQLite read, JSON), next to two baselines
 * served by Hono in the same process: a bare route, and a route doing only
 * jose's jwtVerify with the same key (imported once; raw secret bytes,
 * which jose imports again on every call, shown too). Rounds alternate side by side so
 * machine noise hits every case alike; the figures that matter are ratios.
 *
 * A portal's page sends one token with each of its requests, and the server
 * remembers a token verified in full (auth/host-token.ts): the "first use"
 * cases send a token never seen before on every call, so they pay the whole
 * verification each time.
 */
import { Hono } from "hono";
import { jwtVerify } from "jose";
import { benchKeys, inProcessApp } from "./support/fixture.ts";
import { median, reportSection } from "./support/report.ts";
import { describeAnswersRead, readAnswer, useServerGlobals } from "./support/server-globals.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const perRound = Number(process.env.BENCH_PER_ROUND ?? 300);

// As the server process runs the app: @hono/node-server's Request and Response, answers read as it writes them.
// BENCH_UNDICI=1 keeps undici's, as a test calling app.request in a process that never served has them.
const undici = process.env.BENCH_UNDICI === "1";
if (!undici) useServerGlobals();
const keys = await benchKeys();
const subject = await inProcessApp(keys);
const bearer = (alg: "HS256" | "ES256", token = keys.tokens[alg]) => ({
  headers: { authorization: `Bearer ${token}`, origin: "https://portal.example" },
});
/** Tokens for the first-use cases: one per call, each with its own jti (signed before the clock starts). */
const freshTokens = {
  HS256: await keys.freshTokens("HS256", (rounds + 1) * perRound),
  ES256: await keys.freshTokens("ES256", (rounds + 1) * perRound),
};
const firstUse = (alg: "HS256" | "ES256") => {
  const token = freshTokens[alg].pop();
  if (token === undefined) throw new Error("out of fresh tokens");
  return bearer(alg, token);
};

// The fair floor: jose with an HMAC key imported once, as the host registry now prepares it.
const hmacKey = await crypto.subtle.importKey("raw", keys.hmacSecret, { name: "HMAC", hash: "SHA-256" }, false, [
  "verify",
]);
const baseline = new Hono()
  .get("/bare", (c) => c.json({ ok: true }))
  .get("/jwt/hs256", async (c) => {
    const { payload } = await jwtVerify(c.req.header("authorization")!.slice(7), keys.hmacSecret, {
      algorithms: ["HS256"],
      audience: "tsunagu",
    });
    return c.json({ host: payload.iss, user: payload.sub });
  })
  .get("/jwt/hs256-prepared", async (c) => {
    const { payload } = await jwtVerify(c.req.header("authorization")!.slice(7), hmacKey, {
      algorithms: ["HS256"],
      audience: "tsunagu",
    });
    return c.json({ host: payload.iss, user: payload.sub });
  })
  .get("/jwt/es256", async (c) => {
    const { payload } = await jwtVerify(c.req.header("authorization")!.slice(7), keys.es256PublicKey, {
      algorithms: ["ES256"],
      audience: "tsunagu",
    });
    return c.json({ host: payload.iss, user: payload.sub });
  });

const cases: { name: string; run: () => Response | Promise<Response> }[] = [
  { name: "bare Hono route", run: () => baseline.request("/bare") },
  { name: "jwtVerify only, HS256 raw secret", run: () => baseline.request("/jwt/hs256", bearer("HS256")) },
  { name: "jwtVerify only, HS256", run: () => baseline.request("/jwt/hs256-prepared", bearer("HS256")) },
  { name: "jwtVerify only, ES256", run: () => baseline.request("/jwt/es256", bearer("ES256")) },
  { name: "GET /v1/me, HS256", run: () => subject.app.request("/v1/me", bearer("HS256")) },
  { name: "GET /v1/me, ES256", run: () => subject.app.request("/v1/me", bearer("ES256")) },
  { name: "GET /v1/me, HS256, first use", run: () => subject.app.request("/v1/me", firstUse("HS256")) },
  { name: "GET /v1/me, ES256, first use", run: () => subject.app.request("/v1/me", firstUse("ES256")) },
  { name: "GET /v1/accounts, HS256", run: () => subject.app.request("/v1/accounts", bearer("HS256")) },
  { name: "GET /v1/accounts, ES256", run: () => subject.app.request("/v1/accounts", bearer("ES256")) },
];

/**
 * Microseconds per call over one round: wall-clock time, and the process's CPU
 * time (user + system, every thread), which a machine shared with other work
 * inflates much less than the wall clock.
 */
async function measure(run: () => Response | Promise<Response>, count: number): Promise<{ wall: number; cpu: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const response = await run();
    if (response.status !== 200) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
    await readAnswer(response);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: ((performance.now() - started) * 1000) / count, cpu: (cpu.user + cpu.system) / count };
}

for (const { run } of cases) await measure(run, perRound); // warm up every path
const samples = new Map(cases.map(({ name }) => [name, [] as { wall: number; cpu: number }[]]));
// The order of the cases is reversed every other round: measured in one fixed order, a case paid for the garbage and
// cold paths its predecessor left (the ES256 rows measured 15–30 µs over HS256 right after them; in alternating order
// they measure alike), as bench/http.bench.ts's routes did.
for (let round = 0; round < rounds; round++) {
  for (const { name, run } of round % 2 === 0 ? cases : cases.toReversed())
    samples.get(name)!.push(await measure(run, perRound));
}
await subject.close();

const micros = new Map(cases.map(({ name }) => [name, median(samples.get(name)!.map((sample) => sample.wall))]));
const cpuMicros = new Map(cases.map(({ name }) => [name, median(samples.get(name)!.map((sample) => sample.cpu))]));
const bare = micros.get("bare Hono route")!;
const bareCpu = cpuMicros.get("bare Hono route")!;
const row = (name: string) => {
  const us = micros.get(name)!;
  const cpu = cpuMicros.get(name)!;
  const jwt = name.includes("ES256") ? micros.get("jwtVerify only, ES256")! : micros.get("jwtVerify only, HS256")!;
  const vsJwt = name.startsWith("GET") || name.includes("raw") ? `${(us / jwt).toFixed(2)}×` : "";
  return (
    `| ${name} | ${us.toFixed(0)} | ${cpu.toFixed(0)} | ${(1e6 / us).toFixed(0)} | ${(us / bare).toFixed(1)}× | ` +
    `${(cpu / bareCpu).toFixed(1)}× | ${vsJwt} |`
  );
};
reportSection(
  "1-in-process",
  [
    "## One authenticated request, in process (`app.request`, SQLite)",
    "",
    `Median of ${rounds} rounds × ${perRound} sequential calls, the order of the cases reversed every other round ` +
      "(bench/host-token.bench.ts). " +
      (undici
        ? `With undici's Request and Response (BENCH_UNDICI=1), not the server's; ${describeAnswersRead()}.`
        : "The app runs with the Request and Response the server process serves it with (@hono/node-server's), " +
          `${describeAnswersRead()} as the adapter writes it (bench/support/server-globals.ts).`),
    "",
    "| case | µs per call | CPU µs per call | calls/s | × bare Hono | CPU × bare Hono | × jwtVerify only, key " +
      "prepared (same alg) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...cases.map(({ name }) => row(name)),
    "",
  ].join("\n"),
);

/**
 * How much does a verified request cost through the whole Tsunagu pipeline
 * (request id, log line, CORS, host-token checks, org and user upsert on
 * SQLite, `/v1/me`) compared with the bare minimum: one Hono route doing
 * only jose's jwtVerify with the same key? Rounds alternate side by side so
 * machine noise hits both equally; the answer is a ratio, not a time.
 */
import { Hono } from "hono";
import { jwtVerify } from "jose";
import { createAuthTestApp, portalClaims, randomSecret, requestWithToken, secretKey, signToken } from "../packages/server/test/support/hosts.ts";

const rounds = 10;
const perRound = 300;

const secret = randomSecret();
const key = secretKey(secret);
const subject = await createAuthTestApp([{ id: "bench-portal", origins: ["https://portal.example"], secret, algorithms: ["HS256"] }]);
const token = await signToken(key, portalClaims(subject.clock, "bench-portal"));

const hmac = Buffer.from(secret, "base64url");
const baseline = new Hono().get("/v1/me", async (c) => {
  const { payload } = await jwtVerify(c.req.header("authorization")!.slice(7), hmac, { algorithms: ["HS256"], audience: "tsunagu", currentDate: subject.clock.now() });
  return c.json({ host: payload.iss, user: payload.sub });
});

async function measure(run: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < perRound; index++) {
    const response = await run();
    if (response.status !== 200) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
  }
  return (perRound / (performance.now() - started)) * 1000;
}

const ours: number[] = [];
const bare: number[] = [];
await measure(() => requestWithToken(subject.app, "/v1/me", token)); // warm up both
await measure(() => baseline.request("/v1/me", { headers: { authorization: `Bearer ${token}` } }));
for (let round = 0; round < rounds; round++) {
  ours.push(await measure(() => requestWithToken(subject.app, "/v1/me", token)));
  bare.push(await measure(() => baseline.request("/v1/me", { headers: { authorization: `Bearer ${token}` } })));
}
await subject.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
console.log(`GET /v1/me through Tsunagu (SQLite): ${median(ours).toFixed(0)} req/s (median of ${rounds} rounds × ${perRound})`);
console.log(`baseline, jwtVerify only:           ${median(bare).toFixed(0)} req/s`);
console.log(`ratio tsunagu/baseline throughput:   ${(median(ours) / median(bare)).toFixed(2)}`);

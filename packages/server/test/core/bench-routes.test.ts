/** TSUNAGU_BENCH_ROUTES: the throughput bench's baselines exist only when asked for. */
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { portalClaims, randomSecret, secretKey, signToken } from "../support/hosts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const env = {
  TSUNAGU_HOSTS_FILE: "hosts.json",
  TSUNAGU_ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString("base64url")}`,
};

describe("bench routes", () => {
  it("are off unless TSUNAGU_BENCH_ROUTES is 1", () => {
    expect(parseConfig(env).benchRoutes).toBe(false);
    expect(parseConfig({ ...env, TSUNAGU_BENCH_ROUTES: "1" }).benchRoutes).toBe(true);
    expect(() => parseConfig({ ...env, TSUNAGU_BENCH_ROUTES: "yes" })).toThrow(/TSUNAGU_BENCH_ROUTES/);
  });

  it("are absent from the app by default and, when on, answer a bare route and a jwtVerify-only route", async () => {
    const secret = randomSecret();
    const hosts = [{ id: "hs-portal", origins: ["https://hr.example.com"], secret, algorithms: ["HS256"] }];
    const t = await createTestApp({ hosts });
    apps.push(t);
    expect((await t.app.request("/bench/bare")).status).toBe(404);

    const bench = await createTestApp({ hosts, benchRoutes: true });
    apps.push(bench);
    const { app } = bench;
    const bare = await app.request("/bench/bare");
    expect(bare.status).toBe(200);
    expect(bare.headers.get("x-request-id")).toBeNull(); // ahead of every middleware

    // This route checks exp against the real clock, not the test clock: the token is issued for now.
    const now = Math.floor(Date.now() / 1000);
    const current = await signToken(secretKey(secret), {
      ...portalClaims(t.clock, "hs-portal"),
      iat: now,
      exp: now + 60,
    });
    expect(await (await app.request("/bench/jwt", { headers: { authorization: `Bearer ${current}` } })).json()).toEqual(
      { host: "hs-portal", user: "user-42" },
    );
    const forged = await signToken(secretKey(randomSecret()), portalClaims(t.clock, "hs-portal"));
    for (const refused of [forged, "junk", current.replace(/\.[^.]*$/, ".")]) {
      expect((await app.request("/bench/jwt", { headers: { authorization: `Bearer ${refused}` } })).status).toBe(401);
    }
  });
});

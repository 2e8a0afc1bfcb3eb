/**
 * JWKS-URL hosts: keys come from a real HTTP server on 127.0.0.1. jose keeps
 * the refetch cooldown on the machine clock (Date.now), so these tests fake
 * Date alone and move it by hand; sockets and timers stay real.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { FetchImplementation } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/log.ts";
import {
  type JwksServer,
  type SigningKey,
  generateSigningKey,
  portalClaims,
  requestWithToken,
  signToken,
  startJwksServer,
} from "../support/hosts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const minute = 60_000;
let jwks: JwksServer;
let t: TestApp;
let first: SigningKey;
let second: SigningKey;
let rsa: SigningKey;

const advanceMachineClock = (ms: number) => vi.setSystemTime(Date.now() + ms);

async function status(key: SigningKey, header: Record<string, unknown> = {}) {
  return tokenStatus(await signToken(key, portalClaims(t.clock, "jwks-portal"), header));
}

/** `GET /v1/me` with this very token: 200, or the status and the error code. */
async function tokenStatus(token: string) {
  const response = await requestWithToken(t.app, "/v1/me", token);
  const body = (await response.json()) as { error?: { code: string } };
  return response.status === 200 ? 200 : `${response.status} ${body.error?.code}`;
}

describe("a host whose keys are published at a JWKS URL", () => {
  beforeAll(async () => {
    // One continuous fake machine clock for the whole sequence: the tests below build on each other's fetches.
    vi.useFakeTimers({ toFake: ["Date"] });
    first = await generateSigningKey("ES256", "2026-01");
    second = await generateSigningKey("ES256", "2026-02");
    rsa = await generateSigningKey("RS256", "rsa-1");
    jwks = await startJwksServer([first.publicJwk, rsa.publicJwk]);
    t = await createTestApp({
      hosts: [
        {
          id: "jwks-portal",
          origins: ["https://portal.example.com"],
          jwksUrl: jwks.url,
          algorithms: ["ES256", "RS256"],
        },
      ],
    });
  });
  afterAll(async () => {
    vi.useRealTimers();
    await t.close();
    await jwks.close();
  });

  it("fetches the set once and serves later tokens from the cache", async () => {
    expect(await status(first)).toBe(200);
    expect(await status(rsa)).toBe(200);
    expect(await status(first)).toBe(200);
    expect(jwks.requests).toEqual(["/.well-known/jwks.json"]);
  });

  it("refetches on an unknown kid at most once a minute, so a rotated key works after the cooldown", async () => {
    advanceMachineClock(minute + 1000);
    const before = jwks.requests.length;
    jwks.setKeys([first.publicJwk, second.publicJwk]);
    // The cooldown has passed since the last fetch: the unknown kid triggers exactly one refetch.
    expect(await status(second)).toBe(200);
    expect(jwks.requests.length).toBe(before + 1);

    // Straight after that fetch, made-up kids cannot make the server fetch again.
    for (const kid of ["ghost-1", "ghost-2", "ghost-3", "ghost-4", "ghost-5"]) {
      expect(await status(second, { kid })).toBe("401 token_signature");
    }
    expect(jwks.requests.length).toBe(before + 1);
  });

  it("refuses a kid the portal has not published yet until the cooldown allows another fetch", async () => {
    const third = await generateSigningKey("ES256", "2026-03");
    const before = jwks.requests.length;
    jwks.setKeys([second.publicJwk, third.publicJwk]);
    expect(await status(third)).toBe("401 token_signature");
    expect(jwks.requests.length).toBe(before);

    advanceMachineClock(59_000);
    expect(await status(third)).toBe("401 token_signature");
    expect(jwks.requests.length).toBe(before);

    advanceMachineClock(2000);
    expect(await status(third)).toBe(200);
    expect(jwks.requests.length).toBe(before + 1);
  });

  it("stops trusting a withdrawn key once the cached set expires (10 minutes)", async () => {
    jwks.setKeys([second.publicJwk]);
    expect(await status(second)).toBe(200);
    advanceMachineClock(10 * minute + 1000);
    expect(await status(first)).toBe("401 token_signature");
    expect(await status(second)).toBe(200);
  });

  it.each([
    ["' OR 1=1; DROP TABLE users; --"],
    ["../../../../etc/passwd"],
    ["?kid=x&url=http://evil.example/#"],
    ["%2e%2e%2fadmin"],
  ])("treats kid %j as opaque text: only the registered URL is fetched", async (kid) => {
    advanceMachineClock(minute + 1000);
    const before = jwks.requests.length;
    expect(await status(second, { kid })).toBe("401 token_signature");
    expect(jwks.requests.length).toBe(before + 1);
    expect(new Set(jwks.requests)).toEqual(new Set(["/.well-known/jwks.json"]));
    const users = await t.db.selectFrom("users").select("user_id").execute();
    expect(users.map((user) => user.user_id)).toEqual(["user-42"]);
  });

  it("accepts a token without kid only while a single published key fits it", async () => {
    jwks.setKeys([second.publicJwk, rsa.publicJwk]);
    advanceMachineClock(10 * minute + 1000);
    expect(await status(second, { kid: undefined })).toBe(200);

    const twin = await generateSigningKey("ES256", "twin");
    jwks.setKeys([second.publicJwk, twin.publicJwk]);
    advanceMachineClock(10 * minute + 1000);
    const response = await requestWithToken(
      t.app,
      "/v1/me",
      await signToken(twin, portalClaims(t.clock, "jwks-portal"), { kid: undefined }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "token_signature", message: expect.stringMatching(/several keys.*kid/i) },
    });
    expect(await status(twin)).toBe(200);
  });

  it("refuses a token it verified before, the same text, once its key is withdrawn and the set expires", async () => {
    const fourth = await generateSigningKey("ES256", "2026-04");
    jwks.setKeys([second.publicJwk, fourth.publicJwk]);
    advanceMachineClock(10 * minute + 1000);
    // One token sent again and again, as a portal page does for the token's lifetime: remembered after its first use.
    const token = await signToken(fourth, portalClaims(t.clock, "jwks-portal"));
    expect(await tokenStatus(token)).toBe(200);
    expect(await tokenStatus(token)).toBe(200);

    jwks.setKeys([second.publicJwk]);
    advanceMachineClock(10 * minute + 1000);
    expect(await tokenStatus(token)).toBe("401 token_signature");
    expect(await tokenStatus(token)).toBe("401 token_signature");
    expect(await status(second)).toBe(200);
  });
});

describe("when the portal's key server fails", () => {
  let hanging: Server;
  let hangingUrl: string;
  let failing: JwksServer;
  let key: SigningKey;

  beforeAll(async () => {
    key = await generateSigningKey("ES256", "k1");
    failing = await startJwksServer([key.publicJwk]);
    failing.failWith(500);
    hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
    await failing.close();
  });

  async function answer(app: TestApp, hostId: string) {
    const response = await requestWithToken(app.app, "/v1/me", await signToken(key, portalClaims(app.clock, hostId)));
    return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
  }

  it(
    "answers 503 host_keys_unavailable, not a token refusal, " + "on an error status or a timeout, and logs why",
    async () => {
      const logLines: string[] = [];
      const app = await createTestApp({
        hosts: [
          { id: "failing", origins: ["https://a.example.com"], jwksUrl: failing.url, algorithms: ["ES256"] },
          { id: "hanging", origins: ["https://b.example.com"], jwksUrl: hangingUrl, algorithms: ["ES256"] },
        ],
        hostRegistry: {
          jwks: { timeoutMs: 200 },
          logger: createLogger({ level: "warn", write: (line) => logLines.push(line) }),
        },
      });
      try {
        for (const hostId of ["failing", "hanging"]) {
          const { status, body } = await answer(app, hostId);
          expect(status).toBe(503);
          expect(body.error.code).toBe("host_keys_unavailable");
          expect(body.error.message).toContain(hostId);
        }
        expect(logLines.map((line) => JSON.parse(line))).toEqual([
          expect.objectContaining({ level: "warn", host: "failing", url: failing.url }),
          expect.objectContaining({
            level: "warn",
            host: "hanging",
            url: hangingUrl,
            error: expect.objectContaining({ name: "JWKSTimeout" }),
          }),
        ]);
      } finally {
        await app.close();
      }
    },
  );

  it("recovers once the key server answers again, through an injected fetch", async () => {
    const fetched: string[] = [];
    const recordingFetch: FetchImplementation = (url, options) => {
      fetched.push(url);
      return fetch(url, options);
    };
    const app = await createTestApp({
      hosts: [{ id: "failing", origins: ["https://a.example.com"], jwksUrl: failing.url, algorithms: ["ES256"] }],
      hostRegistry: { fetch: recordingFetch },
    });
    try {
      expect((await answer(app, "failing")).status).toBe(503);
      failing.failWith(undefined);
      expect((await answer(app, "failing")).status).toBe(200);
      expect(fetched).toEqual([failing.url, failing.url]);
    } finally {
      failing.failWith(500);
      await app.close();
    }
  });
});

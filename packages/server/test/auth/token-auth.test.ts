/**
 * `tokenAuth({ audience, … })`: one middleware for host tokens (the API) and
 * sign-in tokens (the sign-in start), mounted here on a bare Hono app of its
 * own, as a route module would use it.
 */
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostTokens } from "../../src/auth/host-token.ts";
import { tokenAuth } from "../../src/auth/middleware.ts";
import type { AppEnv } from "../../src/auth/app-env.ts";
import { errorHandler } from "../../src/http/errors.ts";
import { silentLogger } from "../../src/log.ts";
import { signInTokens } from "../../src/signin/sign-in-token.ts";
import { type SigningKey, epochSeconds, portalClaims, randomSecret, secretKey, signToken } from "../support/hosts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const origin = "https://hr.example.com";
let t: TestApp;
let key: SigningKey;
let app: Hono<AppEnv>;

beforeAll(async () => {
  const secret = randomSecret();
  key = secretKey(secret);
  t = await createTestApp({ hosts: [{ id: "hr-portal", origins: [origin], secret, algorithms: ["HS256"] }] });
  const deps = { hosts: t.hosts, db: t.db, clock: t.clock };
  app = new Hono<AppEnv>();
  app.onError(errorHandler(silentLogger));
  app.get("/api", tokenAuth({ audience: hostTokens, ...deps }), (c) =>
    c.json({ user: c.get("caller").sub, host: c.get("caller").iss }),
  );
  app.get("/sign-in", tokenAuth({ audience: signInTokens, ...deps }), (c) =>
    c.json({ user: c.get("caller").sub, host: c.get("caller").iss }),
  );
});
afterAll(() => t.close());

const get = (path: string, authorization: string | undefined, from = origin) =>
  app.request(path, {
    headers: { ...(authorization !== undefined && { Authorization: authorization }), Origin: from },
  });
const hostToken = (overrides: Record<string, unknown> = {}) =>
  signToken(key, portalClaims(t.clock, "hr-portal", overrides));
const signInToken = (overrides: Record<string, unknown> = {}) => {
  const now = epochSeconds(t.clock);
  return signToken(
    key,
    portalClaims(t.clock, "hr-portal", { aud: "tsunagu:signin", iat: now, exp: now + 5 * 60, ...overrides }),
  );
};
const errorOf = async (response: Response) => ({
  status: response.status,
  ...((await response.json()) as { error: { code: string; message: string } }).error,
});

describe("tokenAuth with host tokens", () => {
  it("lets a host token through and hands the route its verified caller", async () => {
    const response = await get("/api", `Bearer ${await hostToken({ sub: "user-7" })}`);
    expect(await response.json()).toEqual({ user: "user-7", host: "hr-portal" });
  });

  it("records the caller's organisation and user before the route runs", async () => {
    await get("/api", `Bearer ${await hostToken({ sub: "user-8", org: "umeda" })}`);
    const row = await t.db
      .selectFrom("users")
      .select(["org_id", "user_id"])
      .where("user_id", "=", "user-8")
      .executeTakeFirst();
    expect(row).toEqual({ org_id: "umeda", user_id: "user-8" });
  });

  it("refuses a sign-in token (its audience is the sign-in start's)", async () => {
    expect(await errorOf(await get("/api", `Bearer ${await signInToken()}`))).toMatchObject({
      status: 401,
      code: "token_audience",
    });
  });

  it("asks for the host token when none is sent, and refuses two", async () => {
    expect(await errorOf(await get("/api", undefined))).toEqual({
      status: 401,
      code: "token_missing",
      message: "Send the host token as Authorization: Bearer <token>.",
    });
    const token = await hostToken();
    expect(await errorOf(await get("/api", `Bearer ${token} ${token}`))).toMatchObject({
      status: 401,
      code: "token_malformed",
    });
  });

  it("refuses a browser origin the token's host does not register", async () => {
    expect(await errorOf(await get("/api", `Bearer ${await hostToken()}`, "https://evil.example"))).toMatchObject({
      status: 403,
      code: "origin_not_allowed",
    });
  });
});

describe("tokenAuth with sign-in tokens", () => {
  it("lets a sign-in token through", async () => {
    expect(await (await get("/sign-in", `Bearer ${await signInToken({ sub: "login-1" })}`)).json()).toEqual({
      user: "login-1",
      host: "hr-portal",
    });
  });

  it("refuses a host token, naming the sign-in audience", async () => {
    expect(await errorOf(await get("/sign-in", `Bearer ${await hostToken()}`))).toMatchObject({
      status: 401,
      code: "token_audience",
      message: 'The token\'s aud must be "tsunagu:signin".',
    });
  });

  it("refuses a sign-in token living longer than ten minutes", async () => {
    const now = epochSeconds(t.clock);
    expect(
      await errorOf(await get("/sign-in", `Bearer ${await signInToken({ iat: now, exp: now + 11 * 60 })}`)),
    ).toMatchObject({ status: 401, code: "token_lifetime" });
  });

  it("asks for the sign-in token when none is sent", async () => {
    expect(await errorOf(await get("/sign-in", "Basic abc"))).toEqual({
      status: 401,
      code: "token_missing",
      message: "Send the sign-in token as Authorization: Bearer <token>.",
    });
  });
});

describe("tokenAuth's own cost", () => {
  it("hands the route's promise on as it is for a remembered token whose caller was recorded lately", async () => {
    const auth = tokenAuth({ audience: hostTokens, hosts: t.hosts, db: t.db, clock: t.clock });
    const handedOn: boolean[] = [];
    const handing = new Hono<AppEnv>().get(
      "/handed",
      (c, next) => {
        let handed: Promise<void> | undefined;
        const returned = auth(c, () => {
          handed = next();
          return handed;
        });
        return Promise.resolve(returned).then(() => {
          handedOn.push(returned === handed);
        });
      },
      (c) => c.json({ user: c.get("caller").sub }),
    );
    const token = await hostToken({ sub: "user-9" });
    for (let call = 0; call < 3; call++) {
      const response = await handing.request("/handed", {
        headers: { Authorization: `Bearer ${token}`, Origin: origin },
      });
      expect(await response.json()).toEqual({ user: "user-9" });
    }
    // The first use verifies the token and records the caller (both awaited); the next ones wait for neither.
    expect(handedOn).toEqual([false, true, true]);
  });
});

describe("tokenAuth options", () => {
  it("are checked when the middleware is built", () => {
    expect(() => tokenAuth({ hosts: t.hosts, db: t.db, clock: t.clock } as never)).toThrow(/tokenAuth needs/);
  });
});

/**
 * A host token verified once is remembered by its exact text for its next
 * uses (auth/host-token.ts): its signature is not computed again, while
 * everything that can change between two uses is checked again on each.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { verifyJwt } from "../../src/auth/jwt-verify.ts";
import { portalClaims, randomSecret, requestWithToken, secretKey, signToken } from "../support/hosts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

vi.mock("../../src/auth/jwt-verify.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/auth/jwt-verify.ts")>();
  return { ...actual, verifyJwt: vi.fn(actual.verifyJwt) };
});
const signatureChecks = vi.mocked(verifyJwt);

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const secretHost = (secret: string) => ({
  id: "hs-portal",
  origins: ["https://hr.example.com"],
  secret,
  algorithms: ["HS256"],
});

async function portal(secret = randomSecret()) {
  const t = await createTestApp({ hosts: [secretHost(secret)] });
  apps.push(t);
  const token = (claims: Record<string, unknown> = {}) =>
    signToken(secretKey(secret), portalClaims(t.clock, "hs-portal", claims));
  return { t, token, secret };
}

async function refusal(response: Response): Promise<string> {
  expect(response.status).toBe(401);
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("a host token verified once", () => {
  it("is not verified again on its next uses, and each use answers the same caller", async () => {
    const { t, token } = await portal();
    const jwt = await token();
    signatureChecks.mockClear();
    const answers = [];
    for (let use = 0; use < 3; use++) {
      const response = await requestWithToken(t.app, "/v1/me", jwt);
      expect(response.status).toBe(200);
      answers.push(await response.json());
    }
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ host: "hs-portal", org: "acme", user: "user-42" });
  });

  it("answers each use with the same frozen claims: a route cannot change what the token's next use sees", async () => {
    const { t, token } = await portal();
    const jwt = await token();
    const callers: object[] = [];
    t.app.get("/v1/caller-probe", (c) => {
      const caller = c.get("caller");
      callers.push(caller);
      expect(() => {
        (caller as { org: string }).org = "another-org";
      }).toThrow(TypeError);
      return c.json({ org: caller.org });
    });
    for (let use = 0; use < 2; use++) {
      const response = await requestWithToken(t.app, "/v1/caller-probe", jwt);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ org: "acme" });
    }
    expect(Object.isFrozen(callers[0])).toBe(true);
    expect(callers[1]).toBe(callers[0]);
    // Another token of the same caller is another answer.
    await requestWithToken(t.app, "/v1/caller-probe", await token({ jti: "another" }));
    expect(callers[2]).not.toBe(callers[0]);
    expect(callers[2]).toEqual({ ...callers[0], jti: "another" });
  });

  it("never answers for another token: a second token, or the same one altered, is verified in full", async () => {
    const { t, token } = await portal();
    const first = await token();
    const second = await token();
    signatureChecks.mockClear();
    expect((await requestWithToken(t.app, "/v1/me", first)).status).toBe(200);
    expect((await requestWithToken(t.app, "/v1/me", second)).status).toBe(200);
    expect(signatureChecks).toHaveBeenCalledTimes(2);

    const [header, payload, signature] = first.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    expect(await refusal(await requestWithToken(t.app, "/v1/me", `${header}.${payload}.${flipped}`))).toBe(
      "token_signature",
    );
    const otherClaims = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), role: "admin" }),
    ).toString("base64url");
    expect(await refusal(await requestWithToken(t.app, "/v1/me", `${header}.${otherClaims}.${signature}`))).toBe(
      "token_signature",
    );
    const forged = await signToken(secretKey(randomSecret()), portalClaims(t.clock, "hs-portal"));
    expect(await refusal(await requestWithToken(t.app, "/v1/me", forged))).toBe("token_signature");
  });

  it("expires on time: a remembered token is refused once its exp has passed, then stays refused", async () => {
    const { t, token } = await portal();
    const jwt = await token();
    expect((await requestWithToken(t.app, "/v1/me", jwt)).status).toBe(200);
    // 15 minutes of life plus the 60 s of clock skew allowed.
    t.clock.advance(15 * 60 + 59);
    expect((await requestWithToken(t.app, "/v1/me", jwt)).status).toBe(200);
    t.clock.advance(2);
    expect(await refusal(await requestWithToken(t.app, "/v1/me", jwt))).toBe("token_expired");
    expect(await refusal(await requestWithToken(t.app, "/v1/me", jwt))).toBe("token_expired");
  });

  it("checks nbf and iat against the clock on every use (a clock set back refuses it as not yet valid)", async () => {
    const { t, token } = await portal();
    const jwt = await token({ nbf: Math.floor(t.clock.now().getTime() / 1000) });
    expect((await requestWithToken(t.app, "/v1/me", jwt)).status).toBe(200);
    t.clock.advance(-61);
    expect(await refusal(await requestWithToken(t.app, "/v1/me", jwt))).toBe("token_not_yet_valid");
    t.clock.advance(61);
    expect((await requestWithToken(t.app, "/v1/me", jwt)).status).toBe(200);
  });

  it("is verified again after a reload, and refused when the host's secret was rotated", async () => {
    const { t, token } = await portal();
    const jwt = await token();
    expect((await requestWithToken(t.app, "/v1/me", jwt)).status).toBe(200);
    signatureChecks.mockClear();
    // The same secret reloaded: new host objects, so the token is verified in full once, then remembered again.
    await t.hosts.reload();
    expect((await requestWithToken(t.app, "/v1/me", jwt)).status).toBe(200);
    expect((await requestWithToken(t.app, "/v1/me", jwt)).status).toBe(200);
    expect(signatureChecks).toHaveBeenCalledTimes(1);

    t.hostsFile.write([secretHost(randomSecret())]);
    await t.hosts.reload();
    expect(await refusal(await requestWithToken(t.app, "/v1/me", jwt))).toBe("token_signature");
  });

  it("is refused when its host is removed from the registry", async () => {
    const { t, token } = await portal();
    const jwt = await token();
    expect((await requestWithToken(t.app, "/v1/me", jwt)).status).toBe(200);
    t.hostsFile.write([{ ...secretHost(randomSecret()), id: "another-portal" }]);
    await t.hosts.reload();
    expect(await refusal(await requestWithToken(t.app, "/v1/me", jwt))).toBe("unknown_host");
  });

  it("still answers 403 from an origin its host does not register", async () => {
    const { t, token } = await portal();
    const jwt = await token();
    expect((await requestWithToken(t.app, "/v1/me", jwt, { origin: "https://hr.example.com" })).status).toBe(200);
    const response = await requestWithToken(t.app, "/v1/me", jwt, { origin: "https://evil.example" });
    expect(response.status).toBe(403);
  });
});

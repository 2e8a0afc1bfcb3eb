/**
 * Keys are prepared once per host (host-registry.ts) and replaced by a
 * reload; nothing about a verified token is remembered for another token.
 */
import type { webcrypto } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  generateSigningKey,
  portalClaims,
  randomSecret,
  requestWithToken,
  secretKey,
  signToken,
} from "../support/hosts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function authApp(entries: unknown[]) {
  const app = await createTestApp({ hosts: entries });
  apps.push(app);
  return app;
}

const secretHost = (secret: string) => ({
  id: "hs-portal",
  origins: ["https://hr.example.com"],
  secret,
  algorithms: ["HS256", "HS512"],
});

describe("keys prepared once per host", () => {
  it("hands jose an HMAC key imported at load, one per algorithm, the same on every request", async () => {
    const t = await authApp([secretHost(randomSecret())]);
    const host = t.hosts.get("hs-portal")!;
    const first = await host.getKey({ alg: "HS256" }, { payload: "", signature: "" } as never);
    const again = await host.getKey({ alg: "HS256" }, { payload: "", signature: "" } as never);
    const hs512 = await host.getKey({ alg: "HS512" }, { payload: "", signature: "" } as never);
    // A CryptoKey (raw secret bytes were handed over before, and jose imported them on every call).
    expect(first).not.toBeInstanceOf(Uint8Array);
    expect(first).toMatchObject({ type: "secret", extractable: false });
    expect(again).toBe(first);
    expect((first as webcrypto.CryptoKey).algorithm).toEqual({ name: "HMAC", hash: { name: "SHA-256" }, length: 256 });
    expect((hs512 as webcrypto.CryptoKey).algorithm).toMatchObject({ name: "HMAC", hash: { name: "SHA-512" } });
    expect((first as webcrypto.CryptoKey).usages).toEqual(["verify"]);
  });

  it("replaces a rotated secret on reload (SIGHUP): the old key stops verifying, the new one verifies", async () => {
    const oldSecret = randomSecret();
    const t = await authApp([secretHost(oldSecret)]);
    const oldToken = await signToken(secretKey(oldSecret), portalClaims(t.clock, "hs-portal"));
    expect((await requestWithToken(t.app, "/v1/me", oldToken)).status).toBe(200);

    const newSecret = randomSecret();
    t.hostsFile.write([secretHost(newSecret)]);
    await t.hosts.reload();

    const refused = await requestWithToken(t.app, "/v1/me", oldToken);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("token_signature");
    expect(
      (
        await requestWithToken(
          t.app,
          "/v1/me",
          await signToken(secretKey(newSecret), portalClaims(t.clock, "hs-portal")),
        )
      ).status,
    ).toBe(200);
  });

  it("replaces a rotated inline JWK on reload: a token of the old key pair is refused", async () => {
    const oldKey = await generateSigningKey("ES256");
    const jwkHost = (jwk: unknown) => ({
      id: "es-portal",
      origins: ["https://saiyo.example.jp"],
      jwk,
      algorithms: ["ES256"],
    });
    const t = await authApp([jwkHost(oldKey.publicJwk)]);
    const oldToken = await signToken(oldKey, portalClaims(t.clock, "es-portal"));
    expect((await requestWithToken(t.app, "/v1/me", oldToken)).status).toBe(200);

    const newKey = await generateSigningKey("ES256");
    t.hostsFile.write([jwkHost(newKey.publicJwk)]);
    await t.hosts.reload();
    expect((await requestWithToken(t.app, "/v1/me", oldToken)).status).toBe(401);
    expect(
      (await requestWithToken(t.app, "/v1/me", await signToken(newKey, portalClaims(t.clock, "es-portal")))).status,
    ).toBe(200);
  });

  it("keeps the prepared key of a registry whose reload failed", async () => {
    const secret = randomSecret();
    const t = await authApp([secretHost(secret)]);
    t.hostsFile.write("not json");
    await expect(t.hosts.reload()).rejects.toThrow();
    expect(
      (await requestWithToken(t.app, "/v1/me", await signToken(secretKey(secret), portalClaims(t.clock, "hs-portal"))))
        .status,
    ).toBe(200);
  });
});

describe("every token verified afresh", () => {
  it(
    "refuses a second token with the same claims but another " + "signature, right after the first was accepted",
    async () => {
      const secret = randomSecret();
      const t = await authApp([secretHost(secret)]);
      const claims = portalClaims(t.clock, "hs-portal");
      const good = await signToken(secretKey(secret), claims);
      expect((await requestWithToken(t.app, "/v1/me", good)).status).toBe(200);

      const forged = await signToken(secretKey(randomSecret()), claims);
      const [header, payload] = good.split(".");
      const tamperedPayload = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: "admin" })).toString(
        "base64url",
      )}.${good.split(".")[2]}`;
      for (const token of [forged, tamperedPayload, `${header}.${payload}.`]) {
        const response = await requestWithToken(t.app, "/v1/me", token);
        expect(response.status).toBe(401);
      }
      expect((await requestWithToken(t.app, "/v1/me", good)).status).toBe(200);
    },
  );

  it("answers each token with its own claims, not the previous caller's", async () => {
    const secret = randomSecret();
    const t = await authApp([secretHost(secret)]);
    const first = await requestWithToken(
      t.app,
      "/v1/me",
      await signToken(secretKey(secret), portalClaims(t.clock, "hs-portal")),
    );
    const second = await requestWithToken(
      t.app,
      "/v1/me",
      await signToken(
        secretKey(secret),
        portalClaims(t.clock, "hs-portal", { sub: "user-43", email: "mika@acme.example", name: "Mika" }),
      ),
    );
    expect(((await first.json()) as { user: string }).user).toBe("user-42");
    expect(await second.json()).toMatchObject({ user: "user-43", email: "mika@acme.example", name: "Mika" });
  });

  it("records a changed name or email at once, though the caller was recorded less than a minute ago", async () => {
    const secret = randomSecret();
    const t = await authApp([secretHost(secret)]);
    const sign = (overrides: Record<string, unknown>) =>
      signToken(secretKey(secret), portalClaims(t.clock, "hs-portal", overrides));
    await requestWithToken(t.app, "/v1/me", await sign({}));
    t.clock.advance(5);
    expect(await (await requestWithToken(t.app, "/v1/me", await sign({ name: "田中 健一" }))).json()).toMatchObject({
      name: "田中 健一",
    });
    t.clock.advance(5);
    expect(
      await (
        await requestWithToken(t.app, "/v1/me", await sign({ name: "田中 健一", email: "kenichi@acme.example" }))
      ).json(),
    ).toMatchObject({ email: "kenichi@acme.example" });
    const row = await t.db
      .selectFrom("users")
      .select(["name", "email"])
      .where("user_id", "=", "user-42")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: "田中 健一", email: "kenichi@acme.example" });
  });
});

/**
 * Contract: our Microsoft client accepts an id_token only when it verifies
 * against the keys Microsoft's discovery document names, comes from the
 * issuer of the tenant it names, is for our client id, is still valid and
 * carries the nonce of the sign-in that asked for it. Every refusal is a
 * ProviderError `invalid_id_token`, which ends a link as `provider_error`.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../src/providers/errors.ts";
import { createMicrosoftClient } from "../../src/providers/microsoft.ts";
import { createMicrosoftIdTokenVerifier } from "../../src/providers/microsoft/id-token.ts";
import { microsoft as seedMicrosoft } from "../../src/sandbox/seed.ts";
import type { TokenSet } from "../../src/providers/types.ts";
import {
  decide,
  hanako,
  ken,
  link,
  type MicrosoftTestEnv,
  pkcePair,
  redirectUri,
  signInNonce,
  startMicrosoft,
} from "./microsoft-helpers.ts";

let env: MicrosoftTestEnv;
let tokens: TokenSet;
beforeAll(async () => {
  env = await startMicrosoft();
});
afterAll(() => env.running.close());
beforeEach(async () => {
  await env.running.control("/reset");
  tokens = await link(env, ken);
});

const idToken = () => tokens.idToken ?? "";
const verify = (token: string, nonce = signInNonce) => env.client.oauth.verifyIdToken(token, { nonce });
const refusedWith = (pattern: RegExp) => ({
  provider: "microsoft",
  code: "invalid_id_token",
  message: expect.stringMatching(pattern),
});

function parts(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
} {
  const [header = "", payload = "", signature = ""] = token.split(".");
  const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;
  return { header: decode(header), payload: decode(payload), signature };
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("a genuine id_token", () => {
  it("verifies and names the person, their tenant and their directory roles", async () => {
    await expect(verify(idToken())).resolves.toEqual({
      tenantId: seedMicrosoft.tenantId,
      objectId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: ken,
      email: ken,
      name: "Ken Sato",
      directoryRoleIds: ["b79fbf4d-3ef9-4689-8143-76b194e85509"],
    });
  });

  it("fetches the discovery document once and the keys once, for any number of sign-ins and tenants", async () => {
    const fresh = createMicrosoftClient(
      {
        clientId: env.running.context.clientId,
        clientSecret: env.running.context.clientSecret,
        endpoints: { authority: env.running.baseUrl, graphBaseUrl: `${env.running.baseUrl}/` },
      },
      env.deps,
    );
    const admins = await link(env, hanako);
    await fresh.oauth.verifyIdToken(idToken(), { nonce: signInNonce });
    await fresh.oauthForTenant(seedMicrosoft.tenantId).verifyIdToken(admins.idToken ?? "", { nonce: signInNonce });
    expect(await env.running.calls("GET /organizations/v2.0/.well-known/openid-configuration")).toBe(1);
    expect(await env.running.calls("GET /organizations/discovery/v2.0/keys")).toBe(1);
  });
});

describe("refuses", () => {
  it("a token whose claims were edited after signing (a member made Global Administrator)", async () => {
    const { header, payload, signature } = parts(idToken());
    const edited =
      `${encode(header)}.` + `${encode({ ...payload, wids: ["62e90394-69f5-4237-9190-012177145e10"] })}.${signature}`;
    await expect(verify(edited)).rejects.toMatchObject(refusedWith(/signature verification failed/));
  });

  it("a token signed by another key under the genuine kid", async () => {
    const { header, payload } = parts(idToken());
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const input = `${encode(header)}.${encode(payload)}`;
    const forged = `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
    await expect(verify(forged)).rejects.toMatchObject(refusedWith(/signature verification failed/));
  });

  it("an unsigned token (alg none)", async () => {
    const { payload } = parts(idToken());
    const unsigned = verify(`${encode({ typ: "JWT", alg: "none" })}.${encode(payload)}.`);
    await expect(unsigned).rejects.toBeInstanceOf(ProviderError);
    await expect(unsigned).rejects.toMatchObject({ code: "invalid_id_token" });
  });

  it("a token from another identity platform with keys of its own (the same client id there)", async () => {
    const elsewhere = await startMicrosoft();
    try {
      const theirs = await link(elsewhere, ken);
      expect(decodeProtectedHeader(theirs.idToken ?? "").kid).not.toBe(decodeProtectedHeader(idToken()).kid);
      await expect(verify(theirs.idToken ?? "")).rejects.toMatchObject({ code: "invalid_id_token" });
    } finally {
      await elsewhere.running.close();
    }
  });

  it("a token for another client id (wrong audience)", async () => {
    const someoneElse = createMicrosoftClient(
      {
        clientId: "another-app",
        clientSecret: "x",
        endpoints: { authority: env.running.baseUrl, graphBaseUrl: `${env.running.baseUrl}/` },
      },
      env.deps,
    );
    await expect(someoneElse.oauth.verifyIdToken(idToken(), { nonce: signInNonce })).rejects.toMatchObject(
      refusedWith(/unexpected "aud" claim value/),
    );
  });

  it("a token from another issuer than the discovery document names (wrong issuer)", async () => {
    // A verifier reading the other tenant's document expects that tenant's issuer.
    const otherTenant = createMicrosoftIdTokenVerifier(
      { authority: env.running.baseUrl, tenant: seedMicrosoft.otherTenantId, clientId: env.running.context.clientId },
      env.deps,
    );
    await expect(otherTenant.verify(idToken(), { nonce: signInNonce })).rejects.toMatchObject(
      refusedWith(/issuer .* is not .*\/0b3d5e7f-1a2c-4e6f-8a9b-c0d1e2f3a4b5\/v2\.0/),
    );
  });

  it("a token carrying the nonce of another sign-in, or none", async () => {
    await expect(verify(idToken(), "nonce-of-another-sign-in")).rejects.toMatchObject(
      refusedWith(/nonce of another sign-in/),
    );
    const { verifier, challenge } = pkcePair();
    const url = env.client.oauth.authorizationUrl({
      state: "s",
      codeChallenge: challenge,
      redirectUri,
      scopes: ["openid", "profile"],
    });
    expect(url.searchParams.has("nonce")).toBe(false);
    const callback = await decide(url, ken, "allow");
    const noNonce = await env.client.oauth.exchangeCode({
      code: callback.searchParams.get("code") ?? "",
      codeVerifier: verifier,
      redirectUri,
    });
    await expect(verify(noNonce.idToken ?? "")).rejects.toMatchObject(refusedWith(/nonce/));
  });

  it("an expired token", async () => {
    await env.running.control("/clock", { advanceSeconds: 3600 + 61 });
    await expect(verify(idToken())).rejects.toMatchObject(refusedWith(/"exp" claim timestamp check failed/));
  });

  it("nothing when Microsoft's keys cannot be fetched: that is jwks_unavailable, not a bad token", async () => {
    const unreachable = createMicrosoftClient(
      {
        clientId: env.running.context.clientId,
        clientSecret: "x",
        endpoints: { authority: env.running.baseUrl, graphBaseUrl: `${env.running.baseUrl}/` },
      },
      {
        ...env.deps,
        fetch: async (input, init) =>
          String(input).includes("/discovery/v2.0/keys")
            ? Promise.reject(new TypeError("fetch failed"))
            : fetch(input, init),
      },
    );
    await expect(unreachable.oauth.verifyIdToken(idToken(), { nonce: signInNonce })).rejects.toMatchObject({
      code: "jwks_unavailable",
    });
  });
});

/**
 * Contract: the fake identity platform's OpenID Connect metadata, read the way
 * any OIDC client reads Microsoft's: the discovery document per tenant
 * segment, its jwks_uri, and id_tokens that jose verifies against those keys
 * with the issuer the document names (its `{tenantid}` template filled in).
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { microsoft as seedMicrosoft } from "../../src/sandbox/seed.ts";
import {
  ai,
  hanako,
  ken,
  link,
  type MicrosoftTestEnv,
  signInNonce,
  startMicrosoft,
  taro,
} from "./microsoft-helpers.ts";

let env: MicrosoftTestEnv;
beforeAll(async () => {
  env = await startMicrosoft();
});
afterAll(() => env.running.close());
beforeEach(() => env.running.control("/reset"));

interface Discovery {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  response_modes_supported: string[];
  id_token_signing_alg_values_supported: string[];
  scopes_supported: string[];
  subject_types_supported: string[];
}

async function discover(tenant: string): Promise<Discovery> {
  const response = await fetch(`${env.running.baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/json");
  return (await response.json()) as Discovery;
}

const globalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
const cloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7";
const userRole = "b79fbf4d-3ef9-4689-8143-76b194e85509";

describe("discovery document", () => {
  it.each(["organizations", "common"])(
    "under %s names the {tenantid} issuer template and the segment's own endpoints",
    async (tenant) => {
      const document = await discover(tenant);
      const base = `${env.running.baseUrl}/${tenant}`;
      expect(document).toMatchObject({
        issuer: `${env.running.baseUrl}/{tenantid}/v2.0`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        response_modes_supported: ["query", "fragment", "form_post"],
        id_token_signing_alg_values_supported: ["RS256"],
        subject_types_supported: ["pairwise"],
      });
      expect(document.scopes_supported).toEqual(
        expect.arrayContaining(["openid", "profile", "email", "offline_access"]),
      );
    },
  );

  it("under a tenant's id or domain names that tenant's id in the issuer and every endpoint", async () => {
    for (const segment of [seedMicrosoft.tenantId, seedMicrosoft.tenantDomain]) {
      const document = await discover(segment);
      expect(document.issuer).toBe(`${env.running.baseUrl}/${seedMicrosoft.tenantId}/v2.0`);
      expect(document.jwks_uri).toBe(`${env.running.baseUrl}/${seedMicrosoft.tenantId}/discovery/v2.0/keys`);
      expect(document.token_endpoint).toBe(`${env.running.baseUrl}/${seedMicrosoft.tenantId}/oauth2/v2.0/token`);
    }
  });

  it("answers an unknown tenant with AADSTS90002 in the identity platform's error shape", async () => {
    const response = await fetch(`${env.running.baseUrl}/no-such-tenant.example/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: "invalid_tenant",
      error_codes: [90002],
      error_description: expect.stringMatching(/^AADSTS90002: Tenant 'no-such-tenant.example' not found/),
    });
  });

  it("points at endpoints that answer: the authorize page and the token endpoint", async () => {
    const document = await discover(seedMicrosoft.tenantId);
    expect((await fetch(document.authorization_endpoint, { redirect: "manual" })).status).toBe(400);
    const token = await fetch(document.token_endpoint, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "authorization_code" }),
    });
    expect(await token.json()).toMatchObject({ error: "unauthorized_client" });
  });
});

describe("signing keys", () => {
  it("publishes RSA signature keys by kid, more than one (current and next), each naming its issuer", async () => {
    const keys = (await (await fetch((await discover("organizations")).jwks_uri)).json()) as {
      keys: Array<Record<string, string>>;
    };
    expect(keys.keys.length).toBeGreaterThan(1);
    for (const key of keys.keys) {
      expect(key).toMatchObject({
        kty: "RSA",
        use: "sig",
        e: "AQAB",
        kid: expect.stringMatching(/^[\w-]{27}$/),
        issuer: `${env.running.baseUrl}/{tenantid}/v2.0`,
      });
      expect(key.x5t).toBe(key.kid);
      expect(key.n?.length).toBeGreaterThan(300);
    }
    expect(new Set(keys.keys.map((key) => key.kid)).size).toBe(keys.keys.length);
  });
});

describe("id_tokens verified with jose against the discovered keys", () => {
  async function verified(email: string) {
    const tokens = await link(env, email);
    const document = await discover("organizations");
    const keys = createRemoteJWKSet(new URL(document.jwks_uri));
    const header = decodeProtectedHeader(tokens.idToken ?? "");
    const unverifiedTid = JSON.parse(Buffer.from((tokens.idToken ?? "").split(".")[1] ?? "", "base64url").toString())
      .tid as string;
    const { payload } = await jwtVerify(tokens.idToken ?? "", keys, {
      issuer: document.issuer.replace("{tenantid}", unverifiedTid),
      audience: env.running.context.clientId,
      algorithms: ["RS256"],
      currentDate: env.running.clock.now(),
    });
    return { header, payload, tokens };
  }

  it(
    "verifies, with RS256 and a kid the key set holds, the issuer of the person's own tenant and our client as " +
      "audience",
    async () => {
      const { header, payload } = await verified(hanako);
      expect(header).toMatchObject({ alg: "RS256", typ: "JWT", kid: expect.any(String) });
      expect(payload).toMatchObject({
        tid: seedMicrosoft.tenantId,
        iss: `${env.running.baseUrl}/${seedMicrosoft.tenantId}/v2.0`,
        ver: "2.0",
        nonce: signInNonce,
        preferred_username: hanako,
      });
      const other = await verified(taro);
      expect(other.payload).toMatchObject({
        tid: seedMicrosoft.otherTenantId,
        iss: `${env.running.baseUrl}/${seedMicrosoft.otherTenantId}/v2.0`,
      });
    },
  );

  it("lists directory roles in wids: admin roles for administrators, only the User role for members", async () => {
    expect((await verified(hanako)).payload.wids).toEqual([userRole, globalAdministrator]);
    expect((await verified(ai)).payload.wids).toEqual([userRole, cloudApplicationAdministrator]);
    expect((await verified(ken)).payload.wids).toEqual([userRole]);
  });

  it("names the same pairwise sub as the userinfo endpoint the document points at", async () => {
    const { payload, tokens } = await verified(ken);
    const userinfo = await fetch((await discover("organizations")).userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({
      sub: payload.sub,
      name: "Ken Sato",
      given_name: "Ken",
      family_name: "Sato",
      email: ken,
    });
  });
});

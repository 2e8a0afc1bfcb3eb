import { createPublicKey } from "node:crypto";
import type { JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type SigningKey,
  epochSeconds,
  generateSigningKey,
  handMadeToken,
  portalClaims,
  randomSecret,
  requestWithToken,
  secretKey,
  signToken,
} from "../support/hosts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let hsKey: SigningKey;
let hsSecret: string;
let esKey: SigningKey;
let rsKey: SigningKey;
let otherEsKey: SigningKey;

beforeAll(async () => {
  const secret = randomSecret();
  hsSecret = secret;
  hsKey = secretKey(secret);
  esKey = await generateSigningKey("ES256");
  rsKey = await generateSigningKey("RS256");
  otherEsKey = await generateSigningKey("ES256");
  t = await createTestApp({
    hosts: [
      { id: "hs-portal", origins: ["https://hr.example.com"], secret, algorithms: ["HS256"] },
      { id: "es-portal", origins: ["https://saiyo.example.jp"], jwk: esKey.publicJwk, algorithms: ["ES256"] },
      {
        id: "rs-portal",
        origins: ["https://rs.example.com"],
        jwk: rsKey.publicJwk,
        algorithms: ["RS256"],
        audience: "tsunagu-staging",
      },
      { id: "es-other", origins: ["https://other.example.com"], jwk: otherEsKey.publicJwk, algorithms: ["ES256"] },
    ],
  });
});
afterAll(() => t.close());

const claims = (iss: string, overrides: Record<string, unknown> = {}): JWTPayload =>
  portalClaims(t.clock, iss, overrides);

async function me(token: string | undefined, headers: Record<string, string> = {}) {
  const response = await requestWithToken(t.app, "/v1/me", token, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, any>, headers: response.headers };
}

/** Asserts a 401 with the given code, the envelope and the Bearer challenge. */
async function expectRefusal(token: string | undefined, code: string, messagePart?: string | RegExp) {
  const answer = await me(token);
  expect(answer.status).toBe(401);
  expect(answer.body.error.code).toBe(code);
  expect(typeof answer.body.error.message).toBe("string");
  if (messagePart) expect(answer.body.error.message).toMatch(messagePart);
  expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer /);
  if (code !== "token_missing") expect(answer.headers.get("www-authenticate")).toContain('error="invalid_token"');
  return answer;
}

describe("valid host tokens", () => {
  it("accepts an HS256 token from a secret host and answers who the caller is", async () => {
    const answer = await me(await signToken(hsKey, claims("hs-portal")));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      host: "hs-portal",
      org: "acme",
      user: "user-42",
      role: "recruiter",
      email: "ken.tanaka@acme.example",
      name: "田中 健",
      locale: "ja",
      tz: "Asia/Tokyo",
    });
  });

  it("accepts an ES256 token verified with an inline JWK", async () => {
    const answer = await me(
      await signToken(
        esKey,
        claims("es-portal", { sub: "es-user", name: undefined, locale: undefined, tz: undefined }),
      ),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      host: "es-portal",
      org: "acme",
      user: "es-user",
      role: "recruiter",
      email: "ken.tanaka@acme.example",
    });
  });

  it("accepts an RS256 token for a host with its own audience", async () => {
    const answer = await me(await signToken(rsKey, claims("rs-portal", { aud: "tsunagu-staging", role: "admin" })));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ host: "rs-portal", role: "admin" });
  });

  it.each([["JWT"], ["jwt"], ["application/jwt"], ["Application/JWT"], [undefined]])("accepts typ %s", async (typ) => {
    expect((await me(await signToken(hsKey, claims("hs-portal"), { typ }))).status).toBe(200);
  });

  it("allows 60 s of clock skew on exp, nbf and iat", async () => {
    const now = epochSeconds(t.clock);
    expect((await me(await signToken(hsKey, claims("hs-portal", { iat: now - 900, exp: now - 30 })))).status).toBe(200);
    expect((await me(await signToken(hsKey, claims("hs-portal", { nbf: now + 50 })))).status).toBe(200);
    expect((await me(await signToken(hsKey, claims("hs-portal", { iat: now + 50, exp: now + 600 })))).status).toBe(200);
  });

  it.each([
    ["asia/tokyo", "Asia/Tokyo"],
    ["ASIA/TOKYO", "Asia/Tokyo"],
    ["utc", "UTC"],
  ])("accepts tz %s and keeps it as %s", async (tz, canonical) => {
    const answer = await me(await signToken(hsKey, claims("hs-portal", { sub: `tz-${tz}`, tz })));
    expect(answer.status).toBe(200);
    // /v1/me answers the user's row: the zone as it was stored.
    expect(answer.body.tz).toBe(canonical);
  });

  it("accepts a lifetime of exactly one hour", async () => {
    const now = epochSeconds(t.clock);
    expect((await me(await signToken(hsKey, claims("hs-portal", { iat: now, exp: now + 3600 })))).status).toBe(200);
  });
});

describe("missing and malformed tokens", () => {
  it("refuses a request without Authorization, with the plain Bearer challenge", async () => {
    const answer = await expectRefusal(undefined, "token_missing");
    expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="tsunagu"');
  });

  it("refuses another authentication scheme as a missing token", async () => {
    const response = await t.app.request("/v1/me", { headers: { Authorization: "Basic dXNlcjpwYXNz" } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).error.code).toBe("token_missing");
  });

  it.each([
    ["garbage", "not-a-token"],
    ["two tokens", "a.b.c d.e.f"],
    ["a non-JSON header", "abc.def.ghi"],
    ["characters outside base64url", "eyJ!.eyJ?.sig"],
  ])("refuses %s as token_malformed", async (_label, token) => {
    await expectRefusal(token, "token_malformed");
  });

  it("refuses a truncated token", async () => {
    const token = await signToken(hsKey, claims("hs-portal"));
    await expectRefusal(token.slice(0, token.lastIndexOf(".")), "token_malformed");
    await expectRefusal(token.slice(0, 30), "token_malformed");
  });

  it("refuses a 100 KB token before parsing it", async () => {
    const token = await signToken(hsKey, claims("hs-portal", { padding: "x".repeat(100 * 1024) }));
    await expectRefusal(token, "token_malformed", /larger than 8 KB/);
  });

  it("refuses a payload that is not a JSON object", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "HS256" })).toString("base64url");
    await expectRefusal(`${header}.${Buffer.from("[1,2]").toString("base64url")}.c2ln`, "token_malformed");
  });
});

describe("algorithm and key", () => {
  it.each([["none"], ["NONE"], ["None"]])('refuses alg "%s" even for a registered host', async (alg) => {
    await expectRefusal(handMadeToken({ alg, typ: "JWT" }, claims("hs-portal")), "token_algorithm", /never accepted/);
  });

  it("refuses HS256 signed with an ES256 host's public key as the secret (key confusion)", async () => {
    const pem = createPublicKey({ key: esKey.publicJwk as any, format: "jwk" }).export({ type: "spki", format: "pem" });
    for (const confusedSecret of [Buffer.from(pem), Buffer.from(JSON.stringify(esKey.publicJwk))]) {
      const token = await signToken(
        { alg: "HS256", kid: esKey.kid, privateKey: new Uint8Array(confusedSecret), publicJwk: {} },
        claims("es-portal"),
      );
      await expectRefusal(token, "token_algorithm", /accepts ES256/);
    }
  });

  it("refuses an algorithm the host did not register", async () => {
    await expectRefusal(await signToken(esKey, claims("hs-portal")), "token_algorithm", /accepts HS256/);
  });

  it("refuses a wrong secret", async () => {
    await expectRefusal(await signToken(secretKey(randomSecret()), claims("hs-portal")), "token_signature");
  });

  it("says what to sign with: the secret decoded, not its text; the private half of the host's key", async () => {
    // The usual slip: the base64url text of the secret used as the HMAC key itself.
    const asText = { alg: "HS256", kid: "", privateKey: new TextEncoder().encode(hsSecret), publicJwk: {} };
    await expectRefusal(
      await signToken(asText, claims("hs-portal")),
      "token_signature",
      'The signature does not verify with the key of host "hs-portal": sign with its secret from the hosts file, ' +
        "base64url-decoded into the 32 or more bytes (not its text).",
    );
    await expectRefusal(
      await signToken({ ...otherEsKey, kid: esKey.kid }, claims("es-portal")),
      "token_signature",
      /: sign with the private key whose public half is its jwk in the hosts file\.$/,
    );
  });

  it("refuses a token signed by one host's key that claims to be another host", async () => {
    await expectRefusal(await signToken(otherEsKey, claims("es-portal")), "token_signature");
  });

  it("refuses a token whose payload was changed after signing", async () => {
    const [header, , signature] = (await signToken(hsKey, claims("hs-portal", { role: "guest" }))).split(".");
    const forged = Buffer.from(JSON.stringify(claims("hs-portal", { role: "admin" }))).toString("base64url");
    await expectRefusal(`${header}.${forged}.${signature}`, "token_signature");
  });

  it("ignores kid for a secret host: hostile text there reaches nothing", async () => {
    const token = await signToken(hsKey, claims("hs-portal"), {
      kid: "' OR 1=1; DROP TABLE users; --/../../etc/passwd",
    });
    expect((await me(token)).status).toBe(200);
    await expectRefusal(
      await signToken(secretKey(randomSecret()), claims("hs-portal"), { kid: "../../etc/passwd" }),
      "token_signature",
    );
  });
});

describe("issuer, audience and type", () => {
  it("refuses an unknown host", async () => {
    await expectRefusal(await signToken(hsKey, claims("ghost-portal")), "unknown_host", /ghost-portal/);
  });

  it("refuses a token without iss", async () => {
    await expectRefusal(await signToken(hsKey, claims("hs-portal", { iss: undefined })), "unknown_host");
  });

  it.each([["another-service"], [["other", "audiences"]], [undefined]])("refuses aud %j", async (aud) => {
    await expectRefusal(await signToken(hsKey, claims("hs-portal", { aud })), "token_audience", /"tsunagu"/);
  });

  it("refuses the default audience for a host that registered its own", async () => {
    await expectRefusal(await signToken(rsKey, claims("rs-portal")), "token_audience", /tsunagu-staging/);
  });

  it.each([["at+jwt"], ["dpop+jwt"], ["JWS"], [5], [null]])("refuses typ %j", async (typ) => {
    await expectRefusal(await signToken(hsKey, claims("hs-portal"), { typ }), "token_type");
  });
});

describe("time", () => {
  it("refuses an expired token", async () => {
    const now = epochSeconds(t.clock);
    await expectRefusal(
      await signToken(hsKey, claims("hs-portal", { iat: now - 1200, exp: now - 61 })),
      "token_expired",
    );
  });

  it("refuses a lifetime over one hour, or exp not after iat", async () => {
    const now = epochSeconds(t.clock);
    await expectRefusal(
      await signToken(hsKey, claims("hs-portal", { iat: now, exp: now + 3601 })),
      "token_lifetime",
      /60 minutes/,
    );
    await expectRefusal(await signToken(hsKey, claims("hs-portal", { iat: now, exp: now })), "token_lifetime");
  });

  it("refuses nbf or iat more than 60 s in the future", async () => {
    const now = epochSeconds(t.clock);
    await expectRefusal(await signToken(hsKey, claims("hs-portal", { nbf: now + 61 })), "token_not_yet_valid");
    await expectRefusal(
      await signToken(hsKey, claims("hs-portal", { iat: now + 120, exp: now + 600 })),
      "token_not_yet_valid",
    );
  });

  it("uses the injected clock, not the machine's", async () => {
    const token = await signToken(hsKey, claims("hs-portal"));
    t.clock.advance(16 * 60);
    try {
      await expectRefusal(token, "token_expired");
    } finally {
      t.clock.advance(-16 * 60);
    }
  });

  it.each([["exp"], ["iat"]])("refuses a token without %s", async (claim) => {
    await expectRefusal(
      await signToken(hsKey, claims("hs-portal", { [claim]: undefined })),
      "token_claims",
      new RegExp(`"${claim}" claim is missing`),
    );
  });

  it("refuses a non-numeric exp", async () => {
    await expectRefusal(await signToken(hsKey, claims("hs-portal", { exp: "tomorrow" })), "token_claims", /"exp"/);
  });
});

describe("required and optional claims", () => {
  it.each([["sub"], ["org"], ["role"], ["email"]])("refuses a token without %s", async (claim) => {
    await expectRefusal(
      await signToken(hsKey, claims("hs-portal", { [claim]: undefined })),
      "token_claims",
      new RegExp(`"${claim}" claim is missing`),
    );
  });

  it.each([
    ["sub", 42],
    ["sub", ""],
    ["org", ""],
    ["org", "o".repeat(256)],
    ["org", ["acme"]],
    ["role", "owner"],
    ["role", "Admin"],
    ["email", "not-an-email"],
    ["email", 7],
    ["name", 7],
    ["name", "n".repeat(256)],
    ["locale", "fr"],
    ["tz", "Mars/Olympus_Mons"],
    ["tz", 9],
    ["jti", 5],
    ["jti", ""],
    // NUL: PostgreSQL text cannot store it (SQLite would), so it is refused on both.
    ["sub", "ken\u0000"],
    ["org", "\u0000acme"],
    ["email", "ken\u0000@acme.example"],
    ["name", "田中\u0000健"],
    ["tz", "Asia/Tokyo\u0000"],
    ["jti", "\u0000"],
    // A lone UTF-16 surrogate (a \ud800 escape without its pair): both databases would store U+FFFD instead.
    ["sub", "ken\ud800"],
    ["org", "\udc00acme"],
    ["name", "田中\udbff健"],
    ["jti", "\udfff"],
  ])("refuses %s = %j", async (claim, value) => {
    const answer = await expectRefusal(
      await signToken(hsKey, claims("hs-portal", { [claim]: value })),
      "token_claims",
      new RegExp(`"${claim}" claim is not valid`),
    );
    expect(answer.body.error.message).toMatch(/it must be/);
  });

  it("refuses a name holding a lone surrogate, saying so, and stores nothing of its user", async () => {
    const token = await signToken(hsKey, claims("hs-portal", { sub: "lone-surrogate", name: "a\ud800b" }));
    // The payload carries the escape as JSON does: a surrogate alone cannot be written in UTF-8.
    expect(Buffer.from(token.split(".")[1]!, "base64url").toString()).toContain('"name":"a\\ud800b"');
    await expectRefusal(
      token,
      "token_claims",
      'The token\'s "name" claim is not valid: it must be a string of at most 255 characters, without NUL or a lone ' +
        "UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair).",
    );
    const stored = await t.db.selectFrom("users").select("user_id").where("user_id", "=", "lone-surrogate").execute();
    expect(stored).toEqual([]);
  });

  it("accepts a surrogate pair, a character like any other, and stores the name as sent", async () => {
    // 𠮷 (U+20BB7) is outside the BMP: its JSON escape is the pair \ud842\udfb7.
    const name = "\ud842\udfb7田 健";
    const answer = await me(await signToken(hsKey, claims("hs-portal", { sub: "surrogate-pair", name })));
    expect(answer.status).toBe(200);
    expect(answer.body.name).toBe("𠮷田 健");
    const stored = await t.db
      .selectFrom("users")
      .select("name")
      .where("user_id", "=", "surrogate-pair")
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe("𠮷田 健");
  });

  it("names the allowed roles when the role is wrong", async () => {
    await expectRefusal(
      await signToken(hsKey, claims("hs-portal", { role: "owner" })),
      "token_claims",
      /admin, recruiter, assistant, guest/,
    );
  });
});

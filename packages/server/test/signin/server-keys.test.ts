/**
 * The server's signing keys: made once (even by processes starting
 * together), the private half sealed by the vault, the public half at
 * /.well-known/jwks.json, and rotation that keeps older assertions verifiable
 * until their key is retired.
 */
import { randomBytes } from "node:crypto";
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWK, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertionType, signAssertion } from "../../src/signin/assertion.ts";
import { createServerKeys, ServerKeyError, serverKeysCacheMs } from "../../src/signin/server-keys.ts";
import { openDatabase } from "../../src/store/database.ts";
import { createVault } from "../../src/vault/vault.ts";
import { createTestApp, publicUrl, serveApp } from "../support/test-app.ts";
import type { SignInApp } from "./sign-in-steps.ts";

let t: SignInApp;
beforeAll(async () => {
  t = await createTestApp({ providers: ["slack"] });
});
afterAll(async () => {
  await t.close();
});

const keyRows = () => t.db.selectFrom("server_keys").selectAll().orderBy("generation").execute();
const published = async (): Promise<JSONWebKeySet> =>
  (await (await t.app.request("/.well-known/jwks.json")).json()) as JSONWebKeySet;

/** An assertion as the sign-in completion signs it, by whichever key signs now in `keys`. */
async function assertionBy(keys: ReturnType<typeof createServerKeys>) {
  const facts = {
    issuer: publicUrl,
    hostId: "portal-a",
    orgId: "sakura",
    userId: "ken",
    email: "ken.sato@sakura-recruit.example",
    provider: "slack" as const,
  };
  return (
    await signAssertion(await keys.signingKey(), {
      ...facts,
      providerAccount: { teamId: "T0SAKURA01", userId: "U0S002KEN" },
      issuedAt: t.clock.now(),
    })
  ).assertion;
}

const verifyWith = (jwks: JSONWebKeySet, assertion: string) =>
  jwtVerify(assertion, createLocalJWKSet(jwks), {
    issuer: publicUrl,
    audience: "portal-a",
    typ: assertionType,
    currentDate: t.clock.now(),
  });

describe("the first key", () => {
  it("is made once, even when two server processes start together", async () => {
    const second = openDatabase(t.databaseOptions);
    try {
      const kids = await Promise.all([
        createServerKeys({ db: t.db, vault: t.vault, clock: t.clock }).ensure(),
        createServerKeys({ db: second, vault: t.vault, clock: t.clock }).ensure(),
        createServerKeys({ db: t.db, vault: t.vault, clock: t.clock }).ensure(),
      ]);
      expect(new Set(kids).size).toBe(1);
      expect(await keyRows()).toHaveLength(1);
    } finally {
      await second.destroy();
    }
  });

  it("is published as its public half only, ES256, with the kid the assertions name", async () => {
    const response = await t.app.request("/.well-known/jwks.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/jwk-set+json");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const { keys } = (await response.json()) as { keys: JWK[] };
    const [row] = await keyRows();
    expect(keys).toEqual([
      {
        kty: "EC",
        crv: "P-256",
        x: expect.any(String),
        y: expect.any(String),
        kid: row?.kid,
        alg: "ES256",
        use: "sig",
      },
    ]);
    expect(row).toMatchObject({ generation: 1, alg: "ES256", private_key_id: "test", retired_at: null });
  });

  it("keeps its private half sealed by the vault, bound to its kid", async () => {
    const [row] = await keyRows();
    const sealed = row?.private_jwk_sealed ?? "";
    expect(sealed).toMatch(/^v1\.test\./);
    const opened = JSON.parse(
      t.vault.open(sealed, {
        credentialId: row?.kid ?? "",
        provider: "server-signing-key",
        hostId: "tsunagu",
        orgId: "tsunagu",
      }),
    ) as JWK;
    expect(opened.d).toEqual(expect.any(String));
    expect(sealed).not.toContain(opened.d);
    expect(row?.public_jwk).not.toContain(opened.d);
    // Sealed for its own row: under another kid it does not open.
    expect(() =>
      t.vault.open(sealed, {
        credentialId: "another-kid",
        provider: "server-signing-key",
        hostId: "tsunagu",
        orgId: "tsunagu",
      }),
    ).toThrow(/does not open/);
  });

  it("does not open without the encryption key that sealed it, and says which to keep", async () => {
    const otherVault = createVault([{ id: "other", key: new Uint8Array(randomBytes(32)) }]);
    const keys = createServerKeys({ db: t.db, vault: otherVault, clock: t.clock });
    await expect(keys.signingKey()).rejects.toThrow(ServerKeyError);
    await expect(keys.signingKey()).rejects.toThrow(
      /keep the encryption key that sealed it in TSUNAGU_ENCRYPTION_KEYS/,
    );
  });

  it(
    "is sealed again under a new encryption key when a " + "process loads it, so the old encryption key can go",
    async () => {
      const newer = { id: "k2", key: new Uint8Array(randomBytes(32)) };
      const kid = await createServerKeys({
        db: t.db,
        vault: createVault([newer, t.encryptionKey]),
        clock: t.clock,
      }).ensure();
      expect((await keyRows())[0]).toMatchObject({
        kid,
        private_key_id: "k2",
        private_jwk_sealed: expect.stringMatching(/^v1\.k2\./),
      });
      await expect(createServerKeys({ db: t.db, vault: createVault([newer]), clock: t.clock }).ensure()).resolves.toBe(
        kid,
      );
      // And back under the test's own key, which the tests below use.
      await createServerKeys({ db: t.db, vault: createVault([t.encryptionKey, newer]), clock: t.clock }).ensure();
      expect((await keyRows())[0]).toMatchObject({ kid, private_key_id: "test" });
    },
  );
});

describe("rotation", () => {
  /** Signed by the first key, before the rotation. */
  let beforeRotation = "";

  it("signs with the new key at once in the rotating process, and in the others once their cache lapses", async () => {
    const here = createServerKeys({ db: t.db, vault: t.vault, clock: t.clock });
    const elsewhere = createServerKeys({ db: t.db, vault: t.vault, clock: t.clock });
    const oldKid = (await here.signingKey()).kid;
    expect((await elsewhere.signingKey()).kid).toBe(oldKid);
    beforeRotation = await assertionBy(here);

    const newKid = await here.rotate();
    expect(newKid).not.toBe(oldKid);
    expect((await here.signingKey()).kid).toBe(newKid);
    expect((await elsewhere.signingKey()).kid).toBe(oldKid);
    t.clock.advance(serverKeysCacheMs / 1000);
    expect((await elsewhere.signingKey()).kid).toBe(newKid);
    expect((await keyRows()).map((row) => [row.generation, row.kid])).toEqual([
      [1, oldKid],
      [2, newKid],
    ]);
  });

  it("publishes every key not retired, newest first, so assertions of the old key still verify", async () => {
    const [oldRow, newRow] = await keyRows();
    const keys = createServerKeys({ db: t.db, vault: t.vault, clock: t.clock });
    const jwks = await published();
    expect(jwks.keys.map((key) => key.kid)).toEqual([newRow?.kid, oldRow?.kid]);
    const fresh = await assertionBy(keys);
    await expect(verifyWith(jwks, fresh)).resolves.toMatchObject({
      protectedHeader: { kid: newRow?.kid, alg: "ES256", typ: assertionType },
    });
    await expect(verifyWith(jwks, beforeRotation)).resolves.toMatchObject({ protectedHeader: { kid: oldRow?.kid } });
  });

  it(
    "retires an old key: no longer published, its assertions no " + "longer verify; the signing key cannot be retired",
    async () => {
      const [oldRow, newRow] = await keyRows();
      const keys = createServerKeys({ db: t.db, vault: t.vault, clock: t.clock });
      expect(await keys.retire(oldRow?.kid ?? "")).toBe(true);
      expect(await keys.retire(oldRow?.kid ?? "")).toBe(false);
      t.clock.advance(serverKeysCacheMs / 1000);
      const jwks = await published();
      expect(jwks.keys.map((key) => key.kid)).toEqual([newRow?.kid]);
      await expect(verifyWith(jwks, beforeRotation)).rejects.toThrow(errors.JWKSNoMatchingKey);
      await expect(keys.retire(newRow?.kid ?? "")).rejects.toThrow(/is the signing key; rotate before retiring it/);
    },
  );
});

describe("the JWKS over HTTP", () => {
  it("serves jose's remote key set: a portal backend verifies an assertion with nothing but the URL", async () => {
    const served = await serveApp(t.app);
    try {
      const assertion = await assertionBy(createServerKeys({ db: t.db, vault: t.vault, clock: t.clock }));
      const jwks = createRemoteJWKSet(new URL(`${served.baseUrl}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(assertion, jwks, {
        issuer: publicUrl,
        audience: "portal-a",
        typ: assertionType,
        algorithms: ["ES256"],
        currentDate: t.clock.now(),
      });
      expect(payload).toMatchObject({ sub: "ken", org: "sakura" });
      // Another host's backend checks its own id as the audience, and refuses this one.
      await expect(
        jwtVerify(assertion, jwks, { issuer: publicUrl, audience: "portal-b", currentDate: t.clock.now() }),
      ).rejects.toThrow(errors.JWTClaimValidationFailed);
    } finally {
      await served.close();
    }
  });
});

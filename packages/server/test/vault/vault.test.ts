import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createVault, type SealContext, VaultError } from "../../src/vault/vault.ts";

const keyA = { id: "kA", key: randomBytes(32) };
const keyB = { id: "kB", key: randomBytes(32) };
const context: SealContext = { credentialId: "cred-1", provider: "zoom", hostId: "acme-hr", orgId: "org-1" };
const secret = JSON.stringify({ accessToken: "at-秘密-123", refreshToken: "rt-456" });

function failure(open: () => unknown): VaultError {
  try {
    open();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error("the vault opened it");
}

/** Flips one bit of the byte at `index` in a base64url segment. */
function flipByte(segment: string, index: number): string {
  const bytes = Buffer.from(segment, "base64url");
  bytes[index < 0 ? bytes.length + index : index]! ^= 0x01;
  return bytes.toString("base64url");
}

describe("seal and open", () => {
  const vault = createVault([keyA]);

  it("round-trips text, including non-ASCII and the empty string", () => {
    expect(vault.open(vault.seal(secret, context).ciphertext, context)).toBe(secret);
    expect(vault.open(vault.seal("", context).ciphertext, context)).toBe("");
  });

  it("writes v1.<keyId>.<iv>.<ciphertext+tag> with a 96-bit IV and the key id it used", () => {
    const sealed = vault.seal(secret, context);
    expect(sealed.keyId).toBe("kA");
    const [version, keyId, iv, body] = sealed.ciphertext.split(".");
    expect([version, keyId]).toEqual(["v1", "kA"]);
    expect(Buffer.from(iv!, "base64url")).toHaveLength(12);
    expect(Buffer.from(body!, "base64url")).toHaveLength(Buffer.byteLength(secret) + 16);
    expect(sealed.ciphertext).not.toContain("at-");
  });

  it("uses a fresh IV for every seal, so the same plaintext never seals the same way twice", () => {
    const first = vault.seal(secret, context).ciphertext;
    const second = vault.seal(secret, context).ciphertext;
    expect(first).not.toBe(second);
    expect(first.split(".")[2]).not.toBe(second.split(".")[2]);
  });

  it("accepts key ids with dots, which config allows", () => {
    const dotted = createVault([{ id: "prod.2025.k1", key: randomBytes(32) }]);
    const sealed = dotted.seal(secret, context);
    expect(sealed.ciphertext.startsWith("v1.prod.2025.k1.")).toBe(true);
    expect(dotted.open(sealed.ciphertext, context)).toBe(secret);
  });
});

describe("tampering", () => {
  const vault = createVault([keyA, keyB]);
  const [version, keyId, iv, body] = vault.seal(secret, context).ciphertext.split(".") as [
    string,
    string,
    string,
    string,
  ];
  const join = (...parts: string[]) => parts.join(".");

  it.each([
    ["a ciphertext byte", () => join(version, keyId, iv, flipByte(body, 0))],
    ["a tag byte", () => join(version, keyId, iv, flipByte(body, -1))],
    ["an IV byte", () => join(version, keyId, flipByte(iv, 5), body)],
    ["the key id, to another configured key", () => join(version, "kB", iv, body)],
    [
      "a truncated tag",
      () => join(version, keyId, iv, Buffer.from(body, "base64url").subarray(0, -1).toString("base64url")),
    ],
  ])("refuses a ciphertext with %s changed, keeping the cause", (_what, tampered) => {
    const error = failure(() => vault.open(tampered(), context));
    expect(error.code).toBe("vault_decrypt_failed");
    expect(error.name).toBe("VaultError");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it.each([["not sealed at all"], ["v2.kA.AAAA.AAAA"], ["v1.kA.!!!.AAAA"], ["v1.kA"], [""]])(
    "refuses the malformed value %j",
    (text) => {
      expect(failure(() => vault.open(text, context)).code).toBe("vault_decrypt_failed");
    },
  );

  it("refuses a non-canonical base64url character, which Node's decoder would otherwise skip", () => {
    expect(failure(() => vault.open(join(version, keyId, iv, `${body}*`), context)).code).toBe("vault_decrypt_failed");
  });
});

describe("binding to the row", () => {
  const vault = createVault([keyA]);
  const { ciphertext } = vault.seal(secret, context);

  it.each([
    ["another credential id", { ...context, credentialId: "cred-2" }],
    ["another provider", { ...context, provider: "google" }],
    ["another host", { ...context, hostId: "other-hr" }],
    ["another org", { ...context, orgId: "org-2" }],
  ])("does not open for %s", (_what, elsewhere) => {
    expect(failure(() => vault.open(ciphertext, elsewhere)).code).toBe("vault_decrypt_failed");
  });

  it("keeps fields apart in the AAD, so shifting text between them does not open", () => {
    const shifted = vault.seal(secret, { ...context, hostId: "acme", orgId: "hr.org-1" }).ciphertext;
    expect(failure(() => vault.open(shifted, { ...context, hostId: "acme.hr", orgId: "org-1" })).code).toBe(
      "vault_decrypt_failed",
    );
  });

  it("refuses to seal without a complete context", () => {
    expect(() => vault.seal(secret, { ...context, orgId: "" })).toThrow(TypeError);
  });
});

describe("keys", () => {
  it("names an unknown key id with vault_unknown_key", () => {
    const sealed = createVault([keyA]).seal(secret, context);
    const error = failure(() => createVault([keyB]).open(sealed.ciphertext, context));
    expect(error.code).toBe("vault_unknown_key");
    expect(error.keyId).toBe("kA");
    expect(error.message).not.toContain("at-");
  });

  it("opens values sealed with an older key after rotation, and seals with the first key", () => {
    const before = createVault([keyA]).seal(secret, context);
    const rotated = createVault([keyB, keyA]);
    expect(rotated.currentKeyId).toBe("kB");
    expect(rotated.open(before.ciphertext, context)).toBe(secret);
    expect(rotated.seal(secret, context).keyId).toBe("kB");
  });

  it("refuses an empty key list, a key of the wrong length and a repeated id", () => {
    expect(() => createVault([])).toThrow(/at least one/);
    expect(() => createVault([{ id: "short", key: randomBytes(16) }])).toThrow(/32 are required/);
    expect(() => createVault([keyA, { ...keyB, id: "kA" }])).toThrow(/twice/);
  });

  it("does not expose key bytes when the vault is serialised", () => {
    const vault = createVault([keyA]);
    expect(JSON.stringify(vault)).not.toContain(keyA.key.toString("base64"));
    expect(JSON.stringify(vault)).toBe(JSON.stringify({ currentKeyId: "kA" }));
  });
});

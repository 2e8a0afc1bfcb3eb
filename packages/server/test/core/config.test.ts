import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, parseEncryptionKeys } from "../../src/config.ts";

const key = (id: string) => `${id}:${Buffer.alloc(32, 7).toString("base64url")}`;
const minimal = { TSUNAGU_HOSTS_FILE: "/tmp/hosts.json", TSUNAGU_ENCRYPTION_KEYS: key("k1") };

function refusal(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("parseConfig accepted the environment");
}

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseConfig(minimal);
    expect(config.port).toBe(8787);
    expect(config.publicUrl).toBe("http://localhost:8787");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.sandbox).toEqual({ enabled: false, basePort: 8788, stateFile: undefined });
    expect(config.providers.google).toBeUndefined();
  });

  it("takes relative paths from the directory the command was typed in (pnpm's INIT_CWD), else the working one", () => {
    // `pnpm start` and `pnpm tsunagu` at the repository's root run in packages/server.
    const typedAtRoot = parseConfig({
      ...minimal,
      INIT_CWD: "/srv/portal",
      TSUNAGU_HOSTS_FILE: "hosts.json",
      TSUNAGU_ELEMENTS_DIR: "packages/widgets/dist/browser",
      TSUNAGU_SANDBOX_STATE: ".data/sandbox-state.json",
    });
    expect(typedAtRoot.hostsFile).toBe("/srv/portal/hosts.json");
    expect(typedAtRoot.sandbox.stateFile).toBe("/srv/portal/.data/sandbox-state.json");
    expect(typedAtRoot.dataDir).toBe("/srv/portal/.data");
    expect(typedAtRoot.elementsDir).toBe("/srv/portal/packages/widgets/dist/browser");
    expect(parseConfig({ ...minimal, INIT_CWD: "/srv/portal", TSUNAGU_DATA_DIR: "/var/lib/tsunagu" }).dataDir).toBe(
      "/var/lib/tsunagu",
    );
    expect(parseConfig({ ...minimal, TSUNAGU_HOSTS_FILE: "hosts.json" }).hostsFile).toBe(
      join(process.cwd(), "hosts.json"),
    );
  });

  it("selects PostgreSQL only for a postgres URL", () => {
    expect(parseConfig({ ...minimal, DATABASE_URL: "postgres://u:p@127.0.0.1/db" }).databaseUrl).toBe(
      "postgres://u:p@127.0.0.1/db",
    );
    expect(refusal({ ...minimal, DATABASE_URL: "mysql://x" }).variable).toBe("DATABASE_URL");
  });

  it("refuses a DATABASE_URL with a # (a password not percent-encoded), without repeating the URL", () => {
    const refused = refusal({ ...minimal, DATABASE_URL: "postgres://tsunagu:p@ss#w0rd@127.0.0.1:5432/db" });
    expect(refused.variable).toBe("DATABASE_URL");
    expect(refused.message).toContain("%23");
    expect(refused.message).not.toContain("w0rd");
    expect(parseConfig({ ...minimal, DATABASE_URL: "postgres://tsunagu:p%40ss%23w0rd@127.0.0.1/db" }).databaseUrl).toBe(
      "postgres://tsunagu:p%40ss%23w0rd@127.0.0.1/db",
    );
  });

  it.each([
    [{ TSUNAGU_ENCRYPTION_KEYS: key("k1") }, "TSUNAGU_HOSTS_FILE"],
    [{ TSUNAGU_HOSTS_FILE: "/tmp/h.json" }, "TSUNAGU_ENCRYPTION_KEYS"],
    [{ ...minimal, PORT: "eighty" }, "PORT"],
    [{ ...minimal, PORT: "70000" }, "PORT"],
    // Number() reads these as 16, 1000 and 1: the server listened on port 16 for PORT=0x10.
    [{ ...minimal, PORT: "0x10" }, "PORT"],
    [{ ...minimal, PORT: "1e3" }, "PORT"],
    [{ ...minimal, TSUNAGU_SANDBOX_PORT: "0b1" }, "TSUNAGU_SANDBOX_PORT"],
    [{ ...minimal, TSUNAGU_INTERVIEW_LEASE_SECONDS: "3e1" }, "TSUNAGU_INTERVIEW_LEASE_SECONDS"],
    [{ ...minimal, TSUNAGU_SANDBOX: "yes" }, "TSUNAGU_SANDBOX"],
    [{ ...minimal, TSUNAGU_PUBLIC_URL: "ftp://x" }, "TSUNAGU_PUBLIC_URL"],
    [{ ...minimal, TSUNAGU_LOG_LEVEL: "loud" }, "TSUNAGU_LOG_LEVEL"],
    [{ ...minimal, TSUNAGU_ZOOM_CLIENT_ID: "abc" }, "TSUNAGU_ZOOM_CLIENT_SECRET"],
  ])("refuses %o naming %s", (env, variable) => {
    const error = refusal(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it("reads Zoom's admin-managed app beside its user-managed one", () => {
    const config = parseConfig({
      ...minimal,
      TSUNAGU_ZOOM_CLIENT_ID: "user",
      TSUNAGU_ZOOM_CLIENT_SECRET: "u-secret",
      TSUNAGU_ZOOM_ADMIN_CLIENT_ID: "admin",
      TSUNAGU_ZOOM_ADMIN_CLIENT_SECRET: "a-secret",
    });
    expect(config.providers.zoom).toMatchObject({
      clientId: "user",
      adminApp: { clientId: "admin", clientSecret: "a-secret" },
    });
    expect(
      refusal({
        ...minimal,
        TSUNAGU_ZOOM_CLIENT_ID: "user",
        TSUNAGU_ZOOM_CLIENT_SECRET: "s",
        TSUNAGU_ZOOM_ADMIN_CLIENT_ID: "admin",
      }).variable,
    ).toBe("TSUNAGU_ZOOM_ADMIN_CLIENT_SECRET");
  });

  it("reads provider apps only when both halves are set", () => {
    const config = parseConfig({
      ...minimal,
      TSUNAGU_SLACK_CLIENT_ID: "id",
      TSUNAGU_SLACK_CLIENT_SECRET: "secret",
      TSUNAGU_SLACK_SIGNING_SECRET: "sign",
    });
    expect(config.providers.slack).toEqual({ clientId: "id", clientSecret: "secret", signingSecret: "sign" });
  });
});

describe("parseEncryptionKeys", () => {
  it("keeps the order: the first key encrypts", () => {
    const keys = parseEncryptionKeys(`${key("new")},${key("old")}`);
    expect(keys.map((entry) => entry.id)).toEqual(["new", "old"]);
    expect(keys[0]?.key).toHaveLength(32);
  });

  it.each([
    [`k1:${Buffer.alloc(16).toString("base64url")}`, /16 bytes/],
    ["k1", /not keyId/],
    [`bad id!:${Buffer.alloc(32).toString("base64url")}`, /not keyId/],
    [`${key("a")},${key("a")}`, /twice/],
    ["k1:***", /base64url/],
  ])("refuses %s", (raw, message) => {
    expect(() => parseEncryptionKeys(raw)).toThrow(message);
  });

  it.each([
    ["a bare key", Buffer.alloc(32, 1).toString("base64url"), "entry 1 is not keyId:base64url(32 bytes)"],
    ["openssl's base64", `k1:${Buffer.alloc(32, 255).toString("base64")}`, 'key "k1" is not base64url (no +, / or ='],
    ["openssl's hex", `k1:${Buffer.alloc(32, 1).toString("hex")}`, 'key "k1" decodes to 48 bytes; 32 are required'],
  ])("refuses %s, saying what is wrong and how to make an entry", (_what, raw, wrong) => {
    expect(() => parseEncryptionKeys(raw)).toThrow(wrong);
    expect(() => parseEncryptionKeys(raw)).toThrow(/; make an entry with `tsunagu keys generate`$/);
  });
});

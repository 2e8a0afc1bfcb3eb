import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostsFileError, loadHostRegistry, parseHostsFile } from "../../src/auth/host-registry.ts";
import { runHostsCommand } from "../../src/cli/hosts.ts";
import { ConfigError, parseConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/log.ts";
import { productionEndpoints, providerSettingsFromConfig } from "../../src/providers/settings.ts";
import { randomSecret, temporaryHostsFile } from "../support/hosts.ts";

const base = { id: "portal", origins: ["https://portal.example"], secret: randomSecret(), algorithms: ["HS256"] };

async function problems(entries: unknown[]): Promise<string[]> {
  try {
    await parseHostsFile(JSON.stringify(entries), "hosts.json");
  } catch (error) {
    if (error instanceof HostsFileError) return error.problems;
    throw error;
  }
  return [];
}

describe("a host's webhook in the hosts file", () => {
  it("accepts an https URL, or http on loopback, with a secret of at least 32 bytes", async () => {
    for (const webhookUrl of [
      "https://portal.example/hooks/tsunagu",
      "http://localhost:3000/hooks",
      "http://127.0.0.1:9000/hooks",
    ]) {
      expect(await problems([{ ...base, webhookUrl, webhookSecret: randomSecret() }])).toEqual([]);
    }
    expect(await problems([base])).toEqual([]);
  });

  it("refuses plain http elsewhere, a short or malformed secret, and one field without the other", async () => {
    expect(
      await problems([{ ...base, webhookUrl: "http://portal.example/hooks", webhookSecret: randomSecret() }]),
    ).toEqual(['hosts[0] (id "portal").webhookUrl: must be an https URL (http only for localhost/127.0.0.1)']);
    expect(
      await problems([
        {
          ...base,
          webhookUrl: "https://portal.example/hooks",
          webhookSecret: Buffer.alloc(16, 1).toString("base64url"),
        },
      ]),
    ).toEqual(['hosts[0] (id "portal").webhookSecret: must decode to at least 32 random bytes']);
    expect(
      await problems([{ ...base, webhookUrl: "https://portal.example/hooks", webhookSecret: "not base64url!" }]),
    ).toContain('hosts[0] (id "portal").webhookSecret: must be base64url without padding');
    expect(await problems([{ ...base, webhookUrl: "https://portal.example/hooks" }])).toEqual([
      'hosts[0] (id "portal").webhookSecret: webhookUrl and webhookSecret go together',
    ]);
    expect(await problems([{ ...base, webhookSecret: randomSecret() }])).toEqual([
      'hosts[0] (id "portal").webhookUrl: webhookUrl and webhookSecret go together',
    ]);
  });

  it("signs with the decoded secret, which stays out of the registered host", async () => {
    const webhookSecret = randomSecret();
    const file = temporaryHostsFile([{ ...base, webhookUrl: "https://portal.example/hooks", webhookSecret }]);
    try {
      const host = (await loadHostRegistry(file.file, { logger: silentLogger })).get("portal")!;
      expect(host.webhook?.url).toBe("https://portal.example/hooks");
      expect(host.webhook?.hmacHex("1.{}")).toBe(
        createHmac("sha256", Buffer.from(webhookSecret, "base64url")).update("1.{}").digest("hex"),
      );
      expect(JSON.stringify(host)).not.toContain(webhookSecret);
    } finally {
      file.cleanup();
    }
  });
});

describe("tsunagu hosts: webhooks", () => {
  let dir: string;
  let hostsFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tsunagu-cli-"));
    hostsFile = join(dir, "hosts.json");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function hosts(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runHostsCommand(
      args,
      { out: (line) => out.push(line), err: (line) => err.push(line) },
      { hostsFile },
    );
    return { code, out, err };
  }
  const readHosts = () => JSON.parse(readFileSync(hostsFile, "utf8")) as Array<Record<string, unknown>>;
  const webhookSecretFrom = (lines: string[]) =>
    lines
      .find((line) => line.startsWith("webhook secret"))
      ?.split(": ")
      .at(-1);

  it(
    "add --webhook-url generates a webhook secret and prints " + "it once; list shows the URL, never the secret",
    async () => {
      const added = await hosts(
        "add",
        "portal",
        "--origin",
        "https://portal.example",
        "--secret-generate",
        "--webhook-url",
        "https://portal.example/hooks",
      );
      expect(added.code).toBe(0);
      const secret = webhookSecretFrom(added.out);
      expect(Buffer.from(secret ?? "", "base64url")).toHaveLength(32);
      expect(readHosts()[0]).toMatchObject({ webhookUrl: "https://portal.example/hooks", webhookSecret: secret });
      const listed = await hosts("list");
      expect(listed.out[0]).toContain("webhook=https://portal.example/hooks");
      expect(listed.out.join("\n")).not.toContain(secret);
    },
  );

  it(
    "rotate-webhook sets a new secret (and URL when given), and " + "refuses a host without a URL unless one is given",
    async () => {
      await hosts("add", "portal", "--origin", "https://portal.example", "--secret-generate");
      const refused = await hosts("rotate-webhook", "portal");
      expect(refused.code).toBe(2);
      expect(refused.err[0]).toContain("has no webhook URL yet");
      const first = await hosts("rotate-webhook", "portal", "--webhook-url", "https://portal.example/hooks");
      const second = await hosts("rotate-webhook", "portal");
      expect([first.code, second.code]).toEqual([0, 0]);
      expect(webhookSecretFrom(second.out)).not.toBe(webhookSecretFrom(first.out));
      expect(readHosts()[0]).toMatchObject({
        webhookUrl: "https://portal.example/hooks",
        webhookSecret: webhookSecretFrom(second.out),
      });
      expect((await hosts("rotate-webhook", "portal", "--webhook-url", "http://portal.example/hooks")).code).toBe(1);
      expect(
        (await hosts("rotate-key", "portal", "--secret-generate", "--webhook-url", "https://x.example")).code,
      ).toBe(2);
    },
  );
});

describe("TSUNAGU_PROVIDER_ENDPOINTS", () => {
  const minimal = {
    TSUNAGU_HOSTS_FILE: "/tmp/hosts.json",
    TSUNAGU_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64url")}`,
    TSUNAGU_ZOOM_CLIENT_ID: "zoom-id",
    TSUNAGU_ZOOM_CLIENT_SECRET: "zoom-secret",
  };
  function refusal(value: string): ConfigError {
    try {
      parseConfig({ ...minimal, TSUNAGU_PROVIDER_ENDPOINTS: value });
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error("accepted");
  }

  it("replaces the named endpoints of a configured provider and keeps the others", () => {
    const config = parseConfig({
      ...minimal,
      TSUNAGU_PROVIDER_ENDPOINTS: JSON.stringify({
        zoom: { tokenUrl: "https://zoom-proxy.internal/oauth/token", apiBaseUrl: "http://127.0.0.1:9000/v2" },
      }),
    });
    expect(providerSettingsFromConfig(config).zoom?.endpoints).toEqual({
      ...productionEndpoints.zoom,
      tokenUrl: "https://zoom-proxy.internal/oauth/token",
      apiBaseUrl: "http://127.0.0.1:9000/v2",
    });
    expect(providerSettingsFromConfig(parseConfig(minimal)).zoom?.endpoints).toEqual(productionEndpoints.zoom);
  });

  it("refuses what it cannot apply, naming the variable", () => {
    const cases: Array<[string, string]> = [
      ["{not json", "must be JSON"],
      ['["zoom"]', "must be a JSON object keyed by provider"],
      ['{"webex":{}}', 'unknown provider "webex"'],
      ['{"zoom":"https://x"}', "zoom must be an object of endpoint URLs"],
      ['{"zoom":{"tokenURL":"https://x"}}', 'zoom has no endpoint "tokenURL"'],
      ['{"zoom":{"tokenUrl":"ftp://x"}}', "zoom.tokenUrl must be an http(s) URL"],
      ['{"slack":{"apiBaseUrl":"https://x/api/"}}', "names slack, but slack has no TSUNAGU_SLACK_CLIENT_ID"],
    ];
    for (const [value, message] of cases) {
      const error = refusal(value);
      expect(error.variable).toBe("TSUNAGU_PROVIDER_ENDPOINTS");
      expect(error.message).toContain(message);
    }
  });
});

/**
 * Requests Node's HTTP parser refuses before the app runs, sent over a raw socket to the server started as `pnpm start`
 * does: they get the error envelope every refusal has, not a status line with an empty body.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomSecret, temporaryHostsFile } from "../support/hosts.ts";
import {
  encryptionKeyEntry,
  isolatedDatabaseUrl,
  type ServerProcess,
  startServerProcess,
} from "../support/server-process.ts";

const hosts = temporaryHostsFile([
  { id: "e2e-portal", origins: ["https://portal.example"], secret: randomSecret(), algorithms: ["HS256"] },
]);
let server: ServerProcess;
let database: Awaited<ReturnType<typeof isolatedDatabaseUrl>>;

beforeAll(async () => {
  database = await isolatedDatabaseUrl();
  server = await startServerProcess({
    TSUNAGU_HOSTS_FILE: hosts.file,
    TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
    DATABASE_URL: database.url,
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
  hosts.cleanup();
});

/** Writes `request` as it is and reads the answer until the server closes the connection. */
function exchange(request: string): Promise<{ head: string; body: string }> {
  const { hostname, port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = received.split("\r\n\r\n");
      resolve({ head, body });
    });
  });
}

describe("requests the HTTP parser refuses", () => {
  it("answers headers past Node's limit (an oversized host token) with 431 and a JSON error", async () => {
    const { head, body } = await exchange(
      `GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head.toLowerCase()).toContain("content-type: application/json");
    expect(JSON.parse(body)).toEqual({ error: { code: "invalid_request", message: expect.stringContaining("16 KB") } });
  });

  it("answers a request that is not HTTP with 400 and a JSON error", async () => {
    const { head, body } = await exchange("NOT HTTP AT ALL\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(body)).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("goes on serving requests afterwards", async () => {
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });
});

/**
 * A body over the limit (256 KB) over a real keep-alive connection: the 413
 * is answered before the body was read to its end, and the server then closes
 * that connection. It used to say `Connection: keep-alive` all the same, so a
 * client keeping its connections (a portal backend's HTTP agent) sent its next
 * request, whatever it was, on the closed socket and got "socket hang up".
 * Now the 413 says `Connection: close`, and the next request goes out on a
 * connection of its own.
 */
import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ serve: true });
});
afterAll(async () => {
  await t.close();
});

/** One request through `agent`: its status and Connection header, or the socket error it met. */
function send(agent: Agent, method: string, path: string, body?: string) {
  return new Promise<{ status?: number; connection?: string; error?: string }>((resolve) => {
    const sent = request(
      `${t.baseUrl}${path}`,
      {
        method,
        agent,
        headers: body === undefined ? {} : { "content-type": "application/json", "content-length": body.length },
      },
      (answer) => {
        answer.resume();
        answer.on("end", () => resolve({ status: answer.statusCode, connection: answer.headers.connection }));
      },
    );
    sent.on("error", (error) => resolve({ error: error.message }));
    sent.end(body);
  });
}

describe("a body over the limit on a keep-alive connection", () => {
  for (const size of [300_000, 2_000_000])
    it(`answers 413 with Connection: close (${size} bytes), and the client's next request is answered`, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const refused = await send(agent, "POST", "/v1/interviews", "x".repeat(size));
        const next = await send(agent, "GET", "/healthz");
        expect([refused, next]).toEqual([
          { status: 413, connection: "close" },
          { status: 200, connection: "keep-alive" },
        ]);
      } finally {
        agent.destroy();
      }
    });
});

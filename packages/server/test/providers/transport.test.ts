import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ProviderError } from "../../src/providers/errors.ts";
import { defaultHttpDeps, type HttpDeps, providerRequest } from "../../src/providers/http.ts";
import { connectionsPerOrigin, keepAliveSend } from "../../src/providers/transport.ts";
import { freePort } from "../support/server-process.ts";

/**
 * The production request path (`defaultHttpDeps`) against a loopback server that counts its connections and
 * answers from a script: keep-alive, no WHATWG fetch, and what the retry loop and the providers' errors read.
 */
let server: Server;
let baseUrl = "";
let connections = 0;
let script: Array<{ status: number; body?: string | Buffer; headers?: Record<string, string> }> = [];
let seen: Array<{ method: string; headers: Record<string, unknown>; body: string }> = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({ method: request.method!, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const next = script.shift() ?? { status: 200, body: JSON.stringify({ ok: true }) };
      response.writeHead(next.status, { "content-type": "application/json", ...next.headers });
      response.end(next.body ?? "");
    });
  });
  server.on("connection", (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  script = [];
  seen = [];
  connections = 0;
});
afterEach(() => vi.restoreAllMocks());

function deps(): HttpDeps {
  return { ...defaultHttpDeps({ now: () => new Date("2026-11-30T10:00:00Z") }), sleep: async () => undefined };
}

const schema = z.object({ ok: z.literal(true) });
const toError = ({ status, body, headers }: { status: number; body: unknown; headers: Headers }) =>
  new ProviderError("google", status, `${(body as { code?: string })?.code}/${headers.get("x-reason")}`, "failed");

describe("the production request path", () => {
  it("sends every call over kept-alive connections, not through fetch", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const d = deps();
    const call = () => providerRequest(d, { provider: "google", url: `${baseUrl}/x`, schema, toError, kind: "safe" });
    for (let index = 0; index < 10; index++) await expect(call()).resolves.toEqual({ ok: true });
    await Promise.all(Array.from({ length: 10 }, call));
    for (let index = 0; index < 10; index++) await call();
    expect(seen).toHaveLength(30);
    // One connection for the sequential calls, reused; at most ten for the ten concurrent ones.
    expect(connections).toBeLessThanOrEqual(10);
    expect(connections).toBeGreaterThanOrEqual(1);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("hands the retry loop Retry-After and the provider's error its body and headers", async () => {
    script = [
      { status: 429, body: JSON.stringify({ code: "slow_down" }), headers: { "retry-after": "2", "x-reason": "a" } },
      { status: 403, body: JSON.stringify({ code: "denied" }), headers: { "x-reason": "b" } },
    ];
    const error = await providerRequest(deps(), {
      provider: "google",
      url: `${baseUrl}/x`,
      schema,
      toError,
      kind: "safe",
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("denied/b");
    expect(seen).toHaveLength(2);
  });

  it("sends JSON and form bodies with their content types, and reads a compressed answer", async () => {
    script = [{ status: 200, body: gzipSync(JSON.stringify({ ok: true })), headers: { "content-encoding": "gzip" } }];
    const d = deps();
    await expect(
      providerRequest(d, { provider: "google", url: `${baseUrl}/j`, body: { a: "é" }, schema, toError, kind: "safe" }),
    ).resolves.toEqual({ ok: true });
    await providerRequest(d, {
      provider: "google",
      url: `${baseUrl}/f`,
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "r t" }),
      schema,
      toError,
      kind: "create",
    });
    expect(seen[0]).toMatchObject({ method: "POST", body: '{"a":"é"}' });
    expect(seen[0]!.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(seen[0]!.headers.accept).toBe("application/json");
    expect(seen[1]).toMatchObject({ method: "POST", body: "grant_type=refresh_token&refresh_token=r+t" });
    expect(seen[1]!.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
  });

  it("reads an answer whole and as sent, whether it arrives in one piece or in many", async () => {
    // Japanese text: a character's bytes may be split between two pieces of a long answer.
    const long = { ok: true, note: "面接の候補日時。".repeat(40_000) };
    script = [
      { status: 200, body: JSON.stringify({ ok: true, note: "短い" }) },
      { status: 200, body: JSON.stringify(long) },
    ];
    const read = z.object({ ok: z.literal(true), note: z.string() });
    const ask = () =>
      providerRequest(deps(), { provider: "google", url: `${baseUrl}/r`, schema: read, toError, kind: "safe" });
    await expect(ask()).resolves.toEqual({ ok: true, note: "短い" });
    await expect(ask()).resolves.toEqual(long);
  });

  it("opens at most connectionsPerOrigin connections to one origin in a burst, and keeps them all", async () => {
    // A provider that answers each call 30 ms after it came, counting connections opened and open at once.
    let opened = 0;
    let open = 0;
    let mostOpen = 0;
    const own = new Set<Socket>();
    const slow = createServer((request, response) => {
      request.resume();
      request.on("end", () => setTimeout(() => response.end("{}"), 30));
    });
    slow.on("connection", (socket: Socket) => {
      opened += 1;
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      own.add(socket);
      socket.on("close", () => {
        open -= 1;
        own.delete(socket);
      });
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/burst`;
    const burst = () =>
      Promise.all(
        Array.from({ length: connectionsPerOrigin + 100 }, () =>
          keepAliveSend(url, { method: "GET", headers: {}, body: undefined, timeoutMs: 10_000 }),
        ),
      );
    try {
      const first = await burst();
      const second = await burst();
      expect([...first, ...second].every((answer) => answer.status === 200 && answer.text === "{}")).toBe(true);
      expect(mostOpen).toBe(connectionsPerOrigin);
      // Node's default agent (no limit, 256 kept free) opens 356 for the first burst and 100 more for the second.
      expect(opened).toBe(connectionsPerOrigin);
    } finally {
      for (const socket of own) socket.destroy();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it("ends a call waiting for one of the origin's connections at its own timeout", async () => {
    // A provider that holds every call until released: the first connectionsPerOrigin calls take every connection.
    const held: Array<() => void> = [];
    const own = new Set<Socket>();
    const stuck = createServer((request, response) => {
      request.resume();
      held.push(() => response.end("{}"));
    });
    stuck.on("connection", (socket: Socket) => {
      own.add(socket);
      socket.on("close", () => own.delete(socket));
    });
    await new Promise<void>((resolve) => stuck.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(stuck.address() as AddressInfo).port}/held`;
    const send = (timeoutMs: number) => keepAliveSend(url, { method: "GET", headers: {}, body: undefined, timeoutMs });
    try {
      const taking = Array.from({ length: connectionsPerOrigin }, () => send(30_000));
      await vi.waitFor(() => expect(held).toHaveLength(connectionsPerOrigin), { timeout: 10_000 });
      // Nothing has been answered yet: the waiting call ends on its own clock, not when a connection comes free.
      await expect(send(100)).rejects.toThrow("no answer within 100 ms");
      expect(held).toHaveLength(connectionsPerOrigin);
      for (const release of held) release();
      expect((await Promise.all(taking)).every((answer) => answer.status === 200)).toBe(true);
    } finally {
      for (const socket of own) socket.destroy();
      await new Promise<void>((resolve) => stuck.close(() => resolve()));
    }
  });

  it("turns a provider that cannot be reached into network_error", async () => {
    const port = await freePort();
    const error = await providerRequest(deps(), {
      provider: "google",
      url: `http://127.0.0.1:${port}/x`,
      schema,
      toError,
      kind: "create",
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("network_error");
  });
});

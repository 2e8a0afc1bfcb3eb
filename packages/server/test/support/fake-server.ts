/**
 * Starts one fake provider on a loopback port for a contract test, wrapped
 * with the control API exactly as the sandbox serves it.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { SandboxClock } from "../../src/sandbox/clock.ts";
import { type FakeContext, type FakeProvider, withControl } from "../../src/sandbox/fake.ts";
import { waitFor } from "./wait.ts";

export interface RunningFake {
  baseUrl: string;
  clock: SandboxClock;
  context: FakeContext;
  fake: FakeProvider;
  /** POST to the fake's control API. */
  control(path: string, body?: unknown): Promise<unknown>;
  /** How many times `METHOD /path` was called since the last reset. */
  calls(key: string): Promise<number>;
  /** The calls waiting out the injected latency now, as `METHOD /path` (let go by `control("/release")`). */
  held(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startFake(
  create: (context: FakeContext) => FakeProvider,
  options: { webhookUrl?: string } = {},
): Promise<RunningFake> {
  const clock = new SandboxClock();
  let baseUrl = "";
  const context: FakeContext = {
    clock,
    clientId: "test-client",
    clientSecret: randomBytes(16).toString("base64url"),
    webhookSecret: randomBytes(16).toString("base64url"),
    webhookUrl: options.webhookUrl,
    baseUrl: () => baseUrl,
  };
  const fake = create(context);
  const app = withControl(fake, clock);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const control = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${baseUrl}/_control${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`control ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const stats = async () =>
    (await (await fetch(`${baseUrl}/_control/stats`)).json()) as { calls: Record<string, number>; held: string[] };
  return {
    baseUrl,
    clock,
    context,
    fake,
    control,
    calls: async (key) => (await stats()).calls[key] ?? 0,
    held: async () => (await stats()).held,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * With latency injected: waits until a call `METHOD /path` is held at the fake, letting every other call go on as it
 * comes (released by name, so the awaited call is never let go by mistake). A killed caller then dies while its
 * call waits there, for as long as the test needs and no longer (`letHeldCallsGo`).
 */
export async function holdAt(fake: RunningFake, key: string, what: string, boundMs = 90_000): Promise<void> {
  await waitFor(
    what,
    async () => {
      const held = await fake.held();
      if (held.includes(key)) return true;
      if (held.length > 0) await fake.control("/release", { calls: held });
      return undefined;
    },
    boundMs,
  );
}

/** No more latency, and every held call goes on now (the release answers once they are past injected failures). */
export async function letHeldCallsGo(fake: RunningFake): Promise<void> {
  await fake.control("/latency", { ms: 0 });
  await fake.control("/release");
}

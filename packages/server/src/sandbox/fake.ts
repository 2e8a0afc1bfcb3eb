/**
 * What every fake provider gives the sandbox, and the wrapper that adds what
 * they share: call counts, injected latency and failures, forced 429s, and
 * the control API under `/_control` that tests drive.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { ProviderId } from "../providers/errors.ts";
import type { SandboxClock } from "./clock.ts";
import type { FakeMemory } from "./memory.ts";
import { servedRoutes, unreachableFault } from "./fault-paths.ts";

export interface FakeContext {
  clock: SandboxClock;
  /** The OAuth app the server is configured with for this provider. */
  clientId: string;
  clientSecret: string;
  /** This fake's own origin, known once it listens (issuers, redirects, links). */
  baseUrl(): string;
  /** Secret the fake signs its webhooks with (Zoom's secret token, Slack's signing secret). */
  webhookSecret: string;
  /** Where the fake delivers its webhooks (the Tsunagu server), when known. */
  webhookUrl: string | undefined;
}

export interface FakeProvider {
  provider: ProviderId;
  /** The provider's real paths. */
  app: Hono;
  /** The provider's own error shape for an injected failure with this status. */
  failure(c: Context, status: number): Response;
  /** The provider's own 429, carrying `retryAfter` as given (seconds, HTTP date or ISO time). */
  rateLimited(c: Context, retryAfter: string): Response;
  /** Back to the seed. */
  reset(): void;
  /** What the fake keeps (grants, tokens, events, meetings…) as plain JSON and back, for the sandbox's state file. */
  memory: FakeMemory;
  /** Every access token issued so far stops working (refresh tokens keep working). */
  expireAccessTokens(): void;
  /** Kills the grants of one person (email or provider user id); returns how many died. */
  revokeGrants(subject: string): number;
}

interface Faults {
  latencyMs: number;
  failures: Array<{ remaining: number; status: number; path: string | undefined; method: string | undefined }>;
  rateLimits: Array<{ remaining: number; retryAfter: string; path: string | undefined }>;
}

const controlBodies = {
  latency: z.object({ ms: z.number().int().min(0).max(60_000) }),
  /** The held calls to let go on, as `METHOD /path` (every held call when absent). */
  release: z.object({ calls: z.array(z.string()).optional() }),
  fail: z.object({
    count: z.number().int().min(1).max(1000).default(1),
    status: z.number().int().min(400).max(599),
    /** Calls whose path starts with this one fail (every path when absent); it must start a path the fake serves. */
    path: z.string().optional(),
    /** Only requests of this method fail (any method when absent). */
    method: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .transform((method) => method.toUpperCase())
      .optional(),
  }),
  rateLimit: z.object({
    count: z.number().int().min(1).max(1000).default(1),
    retryAfter: z.union([z.string(), z.number()]).default("1"),
    path: z.string().optional(),
  }),
  revoke: z.object({ subject: z.string().min(1) }),
  clock: z.object({ advanceSeconds: z.number() }),
};

export interface ControlOptions {
  /** Called after every request (the control API's too) has been answered by the fake, before the answer leaves. */
  afterRequest?: (() => void) | undefined;
}

/** Wraps a fake with counting, fault injection and the control API. */
export function withControl(fake: FakeProvider, clock: SandboxClock, options: ControlOptions = {}): Hono {
  const faults: Faults = { latencyMs: 0, failures: [], rateLimits: [] };
  const routes = servedRoutes(fake.app);
  /** A fault no call could meet is refused, not queued to wait while every call goes through. */
  const reachable = <T extends { path?: string | undefined; method?: string | undefined }>(fault: T): T => {
    const path = fault.path || undefined;
    const unreachable = unreachableFault(routes, fake.provider, path, fault.method);
    if (unreachable) throw new ControlError(unreachable);
    return { ...fault, path };
  };
  const calls = new Map<string, number>();
  /** Calls waiting out the injected latency: each one's early release, and its `METHOD /path`. */
  const held = new Map<() => void, string>();
  const app = new Hono();
  const { afterRequest } = options;
  // First, so that it wraps everything below (the sandbox writes its state file here).
  if (afterRequest)
    app.use("*", async (_c, next) => {
      try {
        await next();
      } finally {
        afterRequest();
      }
    });

  const control = new Hono()
    .get("/stats", (c) => c.json({ calls: Object.fromEntries(calls), held: [...held.values()] }))
    .post("/latency", async (c) => {
      faults.latencyMs = (await parse(c, controlBodies.latency)).ms;
      return c.json({ ok: true });
    })
    .post("/release", async (c) => {
      const named = (await parse(c, controlBodies.release)).calls;
      const released = [...held].filter(([, key]) => !named || named.includes(key));
      for (const [release] of released) release();
      // One turn of the event loop: the released calls have gone past their injected failures when this answers.
      await new Promise((resolve) => setImmediate(resolve));
      return c.json({ ok: true, released: released.length });
    })
    .post("/fail", async (c) => {
      const body = reachable(await parse(c, controlBodies.fail));
      faults.failures.push({ remaining: body.count, status: body.status, path: body.path, method: body.method });
      return c.json({ ok: true });
    })
    .post("/rate-limit", async (c) => {
      const body = reachable(await parse(c, controlBodies.rateLimit));
      faults.rateLimits.push({ remaining: body.count, retryAfter: String(body.retryAfter), path: body.path });
      return c.json({ ok: true });
    })
    .post("/revoke", async (c) =>
      c.json({ ok: true, revoked: fake.revokeGrants((await parse(c, controlBodies.revoke)).subject) }),
    )
    .post("/expire-tokens", (c) => {
      fake.expireAccessTokens();
      return c.json({ ok: true });
    })
    .post("/clock", async (c) => {
      clock.advance((await parse(c, controlBodies.clock)).advanceSeconds * 1000);
      return c.json({ ok: true, now: clock.now().toISOString() });
    })
    .post("/reset", (c) => {
      fake.reset();
      for (const release of [...held.keys()]) release();
      faults.latencyMs = 0;
      faults.failures = [];
      faults.rateLimits = [];
      calls.clear();
      clock.reset();
      return c.json({ ok: true });
    });
  app.route("/_control", control);

  app.use("*", async (c, next) => {
    // Control routes (generic or a fake's own extras) are neither counted nor faulted.
    if (c.req.path.startsWith("/_control/")) return next();
    const key = `${c.req.method} ${c.req.path}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    if (faults.latencyMs > 0) {
      await new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          held.delete(release);
          resolve();
        };
        const timer = setTimeout(release, faults.latencyMs);
        held.set(release, key);
      });
    }
    const limit = take(faults.rateLimits, c.req.path);
    if (limit) return fake.rateLimited(c, limit.retryAfter);
    const failure = take(faults.failures, c.req.path, c.req.method);
    if (failure) return fake.failure(c, failure.status);
    await next();
  });
  app.route("/", fake.app);
  app.onError((error, c) => {
    if (error instanceof ControlError)
      return c.json({ error: { code: "invalid_control_request", message: error.message } }, 400);
    return c.json({ error: { code: "sandbox_error", message: error.message } }, 500);
  });
  return app;
}

function take<T extends { remaining: number; path: string | undefined; method?: string | undefined }>(
  queue: T[],
  path: string,
  method?: string,
): T | undefined {
  const index = queue.findIndex(
    (entry) => (!entry.path || path.startsWith(entry.path)) && (!entry.method || entry.method === method),
  );
  const entry = queue[index];
  if (!entry) return undefined;
  entry.remaining -= 1;
  if (entry.remaining <= 0) queue.splice(index, 1);
  return entry;
}

async function parse<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await c.req.json().catch(() => ({})));
  if (!result.success)
    throw new ControlError(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
  return result.data;
}

export class ControlError extends Error {
  override name = "ControlError";
}

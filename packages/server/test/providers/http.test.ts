import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ProviderError } from "../../src/providers/errors.ts";
import { type HttpDeps, providerRequest, retryDecision, withRetries } from "../../src/providers/http.ts";
import { parseRetryAfter } from "../../src/providers/retry-after.ts";

describe("parseRetryAfter", () => {
  const now = new Date("2026-11-22T10:00:00Z");
  it.each([
    ["2", 2000],
    ["2.128", 2128],
    ["0", 0],
    ["Sun, 22 Nov 2026 10:00:30 GMT", 30_000],
    ["2026-11-23T00:00:00Z", 14 * 3600_000],
    ["2026-11-22T09:00:00Z", 0],
  ])("reads %s as %d ms", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
  it("ignores what it cannot read", () => {
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

/** A loopback server that answers from a script, one entry per request. */
let server: Server;
let baseUrl = "";
let script: Array<{ status: number; body?: unknown; headers?: Record<string, string> }> = [];
let received = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    received += 1;
    const next = script.shift() ?? { status: 200, body: { ok: true } };
    response.writeHead(next.status, { "content-type": "application/json", ...next.headers });
    response.end(next.body === undefined ? "" : JSON.stringify(next.body));
    request.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script = [];
  received = 0;
});

function deps(): HttpDeps & { slept: number[] } {
  const slept: number[] = [];
  return {
    fetch: globalThis.fetch,
    clock: { now: () => new Date("2026-11-22T10:00:00Z") },
    sleep: async (ms) => {
      slept.push(ms);
    },
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 5000 },
    slept,
  };
}

const toError = ({ status, body }: { status: number; body: unknown }) =>
  new ProviderError("zoom", status, String((body as { code?: unknown })?.code ?? status), "failed");
const schema = z.object({ ok: z.literal(true) });

describe("providerRequest", () => {
  it("retries a 429 after the Retry-After it was given, then succeeds", async () => {
    script = [
      { status: 429, body: { code: 429 }, headers: { "retry-after": "1.5" } },
      { status: 200, body: { ok: true } },
    ];
    const d = deps();
    await expect(
      providerRequest(d, { provider: "zoom", url: baseUrl, schema, toError, kind: "safe" }),
    ).resolves.toEqual({ ok: true });
    expect(d.slept).toEqual([1500]);
    expect(received).toBe(2);
  });

  it("backs off exponentially on 5xx and gives up after maxAttempts", async () => {
    script = [{ status: 503 }, { status: 502 }, { status: 500, body: { code: 500 } }];
    const d = deps();
    const error = await providerRequest(d, { provider: "zoom", url: baseUrl, schema, toError, kind: "safe" }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: "zoom", status: 500 });
    expect(received).toBe(3);
    expect(d.slept).toHaveLength(2);
    expect(d.slept[1]).toBeGreaterThan(d.slept[0] ?? Infinity);
  });

  it("does not wait for a Retry-After beyond the limit and reports it", async () => {
    script = [{ status: 429, body: { code: 429 }, headers: { "retry-after": "2026-11-23T00:00:00Z" } }];
    const d = deps();
    const error = (await providerRequest(d, { provider: "zoom", url: baseUrl, schema, toError, kind: "safe" }).catch(
      (caught: unknown) => caught,
    )) as ProviderError;
    expect(error.retryAfterMs).toBe(14 * 3600_000);
    expect(d.slept).toEqual([]);
    expect(received).toBe(1);
  });

  it("never retries a 4xx other than 429", async () => {
    script = [{ status: 404, body: { code: 3001 } }];
    const error = (await providerRequest(deps(), {
      provider: "zoom",
      url: baseUrl,
      schema,
      toError,
      kind: "safe",
    }).catch((caught: unknown) => caught)) as ProviderError;
    expect(error.code).toBe("3001");
    expect(received).toBe(1);
  });

  it("turns a body of the wrong shape into a typed error", async () => {
    script = [{ status: 200, body: { ok: "yes" } }];
    await expect(
      providerRequest(deps(), { provider: "slack", url: baseUrl, schema, toError, kind: "safe" }),
    ).rejects.toMatchObject({ name: "ProviderResponseError", code: "invalid_response" });
  });

  it("lets a provider report failure inside a 200", async () => {
    script = [{ status: 200, body: { ok: false, error: "invalid_auth" } }];
    const checkOk = (body: unknown) =>
      (body as { ok?: boolean }).ok ? undefined : new ProviderError("slack", 200, "invalid_auth", "refused");
    await expect(
      providerRequest(deps(), { provider: "slack", url: baseUrl, schema, toError, checkOk, kind: "safe" }),
    ).rejects.toMatchObject({ code: "invalid_auth" });
  });

  it("reports an unreachable provider as network_error after retrying", async () => {
    const d = deps();
    await expect(
      providerRequest(d, { provider: "google", url: "http://127.0.0.1:9/", schema, toError, kind: "safe" }),
    ).rejects.toMatchObject({ code: "network_error", status: 0 });
    expect(d.slept).toHaveLength(2);
  });

  it("does not resend a create call after a 5xx", async () => {
    script = [{ status: 503 }];
    await expect(
      providerRequest(deps(), { provider: "zoom", url: baseUrl, schema, toError, kind: "create" }),
    ).rejects.toMatchObject({ status: 503 });
    expect(received).toBe(1);
  });
});

describe("the one retry policy", () => {
  it("resends a create call after a 429 with Retry-After", async () => {
    script = [
      { status: 429, body: { code: 429 }, headers: { "retry-after": "2" } },
      { status: 200, body: { ok: true } },
    ];
    const d = deps();
    await expect(
      providerRequest(d, { provider: "zoom", url: baseUrl, method: "POST", body: {}, schema, toError, kind: "create" }),
    ).resolves.toEqual({ ok: true });
    expect(d.slept).toEqual([2000]);
    expect(received).toBe(2);
  });

  it("does not resend a create call after a 500 or a network failure", async () => {
    script = [{ status: 500, body: { code: 500 } }];
    const d = deps();
    await expect(
      providerRequest(d, { provider: "zoom", url: baseUrl, method: "POST", body: {}, schema, toError, kind: "create" }),
    ).rejects.toMatchObject({ status: 500 });
    expect(received).toBe(1);
    await expect(
      providerRequest(d, {
        provider: "zoom",
        url: "http://127.0.0.1:9/",
        method: "POST",
        body: {},
        schema,
        toError,
        kind: "create",
      }),
    ).rejects.toMatchObject({ code: "network_error" });
    expect(d.slept).toEqual([]);
  });

  it("resends a safe call after a 503", async () => {
    script = [{ status: 503 }, { status: 200, body: { ok: true } }];
    const d = deps();
    await expect(
      providerRequest(d, { provider: "google", url: baseUrl, schema, toError, kind: "safe" }),
    ).resolves.toEqual({ ok: true });
    expect(received).toBe(2);
    expect(d.slept).toHaveLength(1);
  });

  it("resends a create call on a provider's own rate-limit signal, not on its other errors", async () => {
    const isRateLimited = (error: ProviderError) => error.code === "ratelimited";
    const slackError = ({ status, body }: { status: number; body: unknown }) =>
      new ProviderError("slack", status, String((body as { error?: unknown }).error), "failed");
    script = [
      { status: 200, body: { ok: false, error: "ratelimited" } },
      { status: 200, body: { ok: true } },
    ];
    const checkOk = (body: unknown, response: { status: number; headers: Headers }) =>
      (body as { ok?: boolean }).ok ? undefined : slackError({ status: response.status, body });
    const d = deps();
    await expect(
      providerRequest(d, {
        provider: "slack",
        url: baseUrl,
        schema,
        toError: slackError,
        checkOk,
        kind: "create",
        isRateLimited,
      }),
    ).resolves.toEqual({ ok: true });
    expect(received).toBe(2);
    script = [{ status: 200, body: { ok: false, error: "channel_not_found" } }];
    await expect(
      providerRequest(d, {
        provider: "slack",
        url: baseUrl,
        schema,
        toError: slackError,
        checkOk,
        kind: "create",
        isRateLimited,
      }),
    ).rejects.toMatchObject({ code: "channel_not_found" });
    expect(received).toBe(3);
  });

  it("leaves anything that is not a provider failure to the caller at once", async () => {
    const d = deps();
    let attempts = 0;
    const bug = new TypeError("a bug of ours");
    await expect(
      withRetries(d, "safe", async () => {
        attempts += 1;
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(attempts).toBe(1);
  });
});

describe("retryDecision (also what the Graph client's RetryHandler asks)", () => {
  it.each([
    ["safe", 429, true],
    ["safe", 503, true],
    ["safe", 500, true],
    ["safe", 0, true],
    ["safe", 404, false],
    ["create", 429, true],
    ["create", 503, false],
    ["create", 504, false],
    ["create", 0, false],
  ] as const)("%s call, HTTP %d → %s", (kind, status, expected) => {
    expect(retryDecision(kind, { status }, false)).toBe(expected);
  });
});

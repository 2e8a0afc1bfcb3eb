/**
 * A provider on loopback that answers every call with the JSON body a test sets: the provider clients are pointed at
 * it to see what they make of an answer the fakes never give (an odd shape, a hostile link).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import type { HttpDeps } from "../../src/providers/http.ts";

export interface LoopbackProvider {
  /** Where it listens, once the suite's beforeAll has run. */
  readonly baseUrl: string;
  /** The body every call answers (200, JSON) from now on. */
  answer: unknown;
}

/** Starts the provider before the suite's tests and stops it after them. */
export function useLoopbackProvider(): LoopbackProvider {
  let server: Server | undefined;
  const provider = { baseUrl: "", answer: undefined as unknown };
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(provider.answer));
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    provider.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  return provider;
}

/** The clients' HTTP as the server sets it up, with no waiting between retries. */
export const loopbackHttpDeps: HttpDeps = {
  fetch: globalThis.fetch,
  clock: { now: () => new Date("2030-01-06T00:00:00Z") },
  sleep: async () => {},
  retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 10 },
};

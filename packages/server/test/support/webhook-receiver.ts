/**
 * A portal's webhook endpoint on loopback: records every request Tsunagu's
 * delivery worker sends and answers with the statuses a test queued, then 204.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** The next answers, in order (e.g. [500, 500]). */
  failNext(...statuses: number[]): void;
  /** Parsed bodies of what arrived, oldest first. */
  events(): Array<Record<string, unknown>>;
  clear(): void;
  close(): Promise<void>;
}

/** `onReceive`: called with each webhook as it arrives (the test app checks it against the OpenAPI document). */
export async function startReceiver(onReceive?: (webhook: ReceivedWebhook) => void): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const queued: number[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      onReceive?.({ headers: request.headers, body });
      response.statusCode = queued.shift() ?? 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsunagu/webhooks`,
    received,
    failNext: (...statuses) => void queued.push(...statuses),
    events: () => received.map((request) => JSON.parse(request.body) as Record<string, unknown>),
    clear: () => void received.splice(0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

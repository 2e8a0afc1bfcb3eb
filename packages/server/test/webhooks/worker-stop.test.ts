/**
 * Stopping the delivery worker (what a server's SIGTERM shutdown does) while a portal has not answered: the worker
 * stops at once rather than waiting out the portal's 10 s timeout batch after batch (a hanging portal made every
 * shutdown run past its 10 s limit and exit 1), and the rows it had claimed are handed back untouched, so the next
 * worker sends them straight away instead of after the claim's minute.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookDelivery } from "../../src/webhooks/delivery.ts";
import { emitAccountEvent, insertOutboxRow } from "../../src/webhooks/outbox.ts";
import { randomSecret } from "../support/hosts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { sleep, waitFor } from "../support/wait.ts";

/** The engine's collector, called as a busy server's heap calls it on its own between a send and its timeout. */
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** A portal that reads each webhook and answers only when told to: until then every send waits on it. */
async function startPortal() {
  const received: string[] = [];
  const waiting: ServerResponse[] = [];
  let answering = false;
  const sockets = new Set<Socket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on("end", () => {
      received.push(String(request.headers["tsunagu-event-id"]));
      if (answering) response.writeHead(204).end();
      else waiting.push(response);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    /** Leaves every later webhook waiting (until `answer`). */
    hold() {
      answering = false;
    },
    /** Answers the webhooks waiting now and every later one. */
    answer() {
      answering = true;
      for (const response of waiting.splice(0)) response.writeHead(204).end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let portal: Awaited<ReturnType<typeof startPortal>>;
let t: TestApp;

beforeAll(async () => {
  portal = await startPortal();
  t = await createTestApp({
    hosts: [
      {
        id: "portal-a",
        origins: ["https://portal-a.example"],
        secret: randomSecret(),
        algorithms: ["HS256"],
        webhookUrl: portal.url,
        webhookSecret: randomSecret(),
      },
    ],
  });
});

afterAll(async () => {
  await t?.close();
  await portal?.close();
});

const outbox = () =>
  t.db
    .selectFrom("webhook_outbox")
    .select(["id", "status", "attempts", "locked_by", "locked_until"])
    .orderBy("created_at")
    .execute();

const account = {
  id: "account-1",
  host_id: "portal-a",
  org_id: "sakura",
  user_id: "ken",
  provider: "zoom",
  email: "ken@sakura.example",
  display_name: "Ken",
  status: "active" as const,
};

const deps = () => ({ db: t.db, clock: t.clock, logger: t.logger, hosts: t.hosts });

describe("the delivery worker stopped while the portal has not answered", () => {
  it("stops after its grace, claims no further batch, and leaves its rows for the next worker", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 30; index++)
      ids.push(await emitAccountEvent(t.db, t.clock, "linked", account, "linked"));
    const worker = createWebhookDelivery({ ...deps(), policy: { stopGraceMs: 300 } });
    worker.start();
    // The first batch (25 rows) waits on the portal.
    await waitFor("the first batch at the portal", async () => (portal.received.length === 25 ? true : undefined));

    const stopping = Date.now();
    await worker.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
    expect(portal.received).toHaveLength(25);
    const left = await outbox();
    expect(left).toHaveLength(30);
    for (const row of left) expect(row).toMatchObject({ status: "pending", attempts: 0, locked_by: null });

    // Another worker (another process, or this one started again) sends every row now, on the same clock.
    portal.answer();
    const next = createWebhookDelivery(deps());
    expect(await next.deliverDue()).toEqual({ delivered: 30, retrying: 0, failed: 0, skipped: 0 });
    expect(new Set(portal.received.slice(25))).toEqual(new Set(ids));
  });

  it("lets a send the portal answers within the grace finish, and records it delivered", async () => {
    await t.db.deleteFrom("webhook_outbox").execute();
    const id = await emitAccountEvent(t.db, t.clock, "linked", account, "linked");
    const worker = createWebhookDelivery({ ...deps(), policy: { stopGraceMs: 5_000 } });
    // The portal answers, but only once the stop has begun.
    portal.hold();
    worker.start();
    await waitFor("the webhook at the portal", async () => (portal.received.includes(id) ? true : undefined));
    const stopped = worker.stop();
    setTimeout(() => portal.answer(), 100);
    await stopped;
    expect(await outbox()).toEqual([expect.objectContaining({ id, status: "delivered", attempts: 1 })]);
  });

  it("abandons another sender's row (a Slack notice) still waiting after the grace, untouched", async () => {
    await t.db.deleteFrom("webhook_outbox").execute();
    const id = "notice-1";
    const createdAt = t.clock.now().toISOString();
    await insertOutboxRow(t.db, {
      id,
      hostId: "portal-a",
      orgId: "sakura",
      type: "test.notice",
      payload: {},
      createdAt,
    });
    let sending = false;
    const neverAnswers = {
      types: ["test.notice"],
      send: () => {
        sending = true;
        return new Promise<never>(() => undefined);
      },
    };
    const worker = createWebhookDelivery({ ...deps(), policy: { stopGraceMs: 300 }, senders: [neverAnswers] });
    worker.start();
    await waitFor("the notice being sent", async () => (sending ? true : undefined));
    const stopping = Date.now();
    await worker.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
    expect(await outbox()).toEqual([
      expect.objectContaining({ id, status: "pending", attempts: 0, locked_by: null, locked_until: null }),
    ]);
  });
});

describe("a portal that takes the connection and never answers", () => {
  it("is given up on after the timeout, garbage collected in between, and the row retried", async () => {
    await t.db.deleteFrom("webhook_outbox").execute();
    portal.hold();
    const id = await emitAccountEvent(t.db, t.clock, "linked", account, "linked");
    const worker = createWebhookDelivery({ ...deps(), policy: { timeoutMs: 500 } });
    const pass = worker.deliverDue();
    await waitFor("the webhook at the portal", async () => (portal.received.includes(id) ? true : undefined));
    // A timeout signal only the send's combined signal referred to was collected, and never fired: the send (and the
    // worker's pass, every other row behind it) waited on the portal for as long as it kept the connection open.
    const outcome = Promise.race([pass, sleep(3_000).then(() => "still waiting" as const)]);
    for (let round = 0; round < 10; round++) {
      collectGarbage();
      await sleep(100);
    }
    expect(await outcome).toEqual({ delivered: 0, retrying: 1, failed: 0, skipped: 0 });
    expect(await outbox()).toEqual([expect.objectContaining({ id, status: "pending", attempts: 1, locked_by: null })]);
    const [row] = await t.db.selectFrom("webhook_outbox").select("last_error").execute();
    expect(row?.last_error).toBe("TimeoutError");
    portal.answer();
    await pass;
  });
});

import { expect, waitUntil } from "@open-wc/testing";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { TsunaguApiError } from "./api-error.ts";
import { QueryController, type QueryOptions } from "./query-controller.ts";

/** A host that counts its updates, and a server the test answers by hand, one question at a time. */
function setUp(options: Partial<QueryOptions<string, string>> = {}) {
  const controllers: ReactiveController[] = [];
  const host: ReactiveControllerHost & { updates: number } = {
    updates: 0,
    addController: (controller) => void controllers.push(controller),
    removeController: () => {},
    requestUpdate: () => void host.updates++,
    updateComplete: Promise.resolve(true),
  };
  const asked: { question: string; signal: AbortSignal; answer: (value: string) => void; fail: () => void }[] = [];
  const events: string[] = [];
  let question: string | undefined = "q1";
  const query = new QueryController<string, string>(host, {
    question: () => question,
    ask: (asking, signal) =>
      new Promise((resolve, reject) => {
        asked.push({
          question: asking,
          signal,
          answer: resolve,
          fail: () => reject(new TsunaguApiError(503, "database_unavailable", "No database.")),
        });
        signal.addEventListener("abort", () => reject(signal.reason));
      }),
    debounce: () => 0,
    keepOnFailure: false,
    failed: (error) => events.push(`failed ${(error as TsunaguApiError).code}`),
    settled: () => events.push(`settled ${query.phase}`),
    ...options,
  });
  return {
    host,
    controllers,
    query,
    asked,
    events,
    ask: (next: string | undefined) => {
      question = next;
    },
  };
}

describe("QueryController", () => {
  it("says at once that an answer is coming, asks once the inputs are still, and settles ready", async () => {
    const { host, query, asked, events } = setUp();
    query.schedule();
    expect(query.phase).to.equal("loading");
    expect(asked).to.have.length(0);
    await waitUntil(() => asked.length === 1, "the question was never asked");
    expect(asked[0]!.question).to.equal("q1");
    asked[0]!.answer("a1");
    await waitUntil(() => query.phase === "ready", "the answer never settled");
    expect(query.answer).to.equal("a1");
    expect(query.current).to.equal("a1");
    expect(events).to.deep.equal(["settled ready"]);
    expect(host.updates).to.be.greaterThan(1);
  });

  it("aborts an answer a newer question made stale, and never shows it", async () => {
    const { query, asked, ask } = setUp();
    void query.refresh();
    ask("q2");
    void query.refresh();
    expect(asked.map((question) => question.question)).to.deep.equal(["q1", "q2"]);
    expect(asked[0]!.signal.aborted).to.equal(true);
    asked[0]!.answer("stale");
    asked[1]!.answer("a2");
    await waitUntil(() => query.phase === "ready", "the newer answer never settled");
    expect(query.answer).to.equal("a2");
  });

  it("is idle, without an answer or an error, while the inputs make no question", async () => {
    const { query, asked, events, ask } = setUp();
    void query.refresh();
    asked[0]!.fail();
    await waitUntil(() => query.phase === "failed", "the failure never settled");
    ask(undefined);
    query.schedule();
    expect(query.phase).to.equal("idle");
    expect(query.answer).to.equal(undefined);
    expect(query.error).to.equal(undefined);
    expect(events).to.deep.equal(["failed database_unavailable", "settled failed", "settled idle"]);
  });

  it("keeps the last answer through a failure only when asked to", async () => {
    for (const keepOnFailure of [true, false]) {
      const { query, asked } = setUp({ keepOnFailure });
      void query.refresh();
      asked[0]!.answer("a1");
      await waitUntil(() => query.phase === "ready", "the first answer never settled");
      void query.refresh();
      expect(query.phase).to.equal("loading");
      expect(query.answer, "an answer is kept while the next loads").to.equal("a1");
      asked[1]!.fail();
      await waitUntil(() => query.phase === "failed", "the failure never settled");
      expect(query.answer).to.equal(keepOnFailure ? "a1" : undefined);
      expect(query.current).to.equal(undefined);
      expect((query.error as TsunaguApiError).code).to.equal("database_unavailable");
    }
  });

  it("forgets what is on its way when the element leaves the page", async () => {
    const { query, asked, controllers } = setUp();
    query.schedule();
    for (const controller of controllers) controller.hostDisconnected?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked, "the debounced question is not asked once the element left").to.have.length(0);
    void query.refresh();
    for (const controller of controllers) controller.hostDisconnected?.();
    asked[0]!.answer("late");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(query.phase).to.equal("loading");
    expect(query.answer).to.equal(undefined);
  });
});

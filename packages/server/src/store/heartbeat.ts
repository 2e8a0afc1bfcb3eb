/**
 * A claim kept alive while work holds it: an interview's lease (interviews/records.ts) and an outbox row's claim
 * (webhooks/delivery.ts) are each renewed every third of their length, so another process does not take them over
 * while the work is still under way. One renewal at a time (a slow database does not pile them up), until `beat`
 * says the claim was lost or the work stops.
 */
export interface Heartbeat {
  /** No renewal after this one; resolves once a renewal under way has ended. */
  stop(): Promise<void>;
}

/** Calls `beat` every `periodMs`, never two at once; `beat` handles its errors, and answers "lost" to end it. */
export function heartbeat(periodMs: number, beat: () => Promise<"lost" | undefined>): Heartbeat {
  let current: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (current) return;
    current = beat()
      .then((outcome) => {
        if (outcome === "lost") clearInterval(timer);
      })
      .finally(() => {
        current = undefined;
      });
  }, periodMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}

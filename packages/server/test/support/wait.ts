/**
 * Bounded waits for what another process or a fake does in its own time:
 * polls every 25 ms and gives up, naming what it waited for, after the bound.
 * A bound is a limit, not a timing assertion.
 */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with the first value `read` gives other than undefined. */
export async function waitFor<T>(what: string, read: () => Promise<T | undefined>, boundMs = 20_000): Promise<T> {
  const until = Date.now() + boundMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await sleep(25);
  }
}

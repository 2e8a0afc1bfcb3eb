/**
 * The in-process benches run the app in the setting the server process gives
 * it. `src/main.ts` serves the app with @hono/node-server's `serve`, which
 * installs the adapter's own global `Request` and `Response`
 * (`overrideGlobalObjects`, on by default): a route's `c.json` then keeps its
 * body and header record, and the adapter writes both to the socket without
 * building undici's `Response` and `Headers`. Measured with undici's
 * instead (a plain `app.request` in a process that never served), one
 * authenticated request cost about twice its server's CPU: the 14 answer
 * headers copied into undici's header list, its body stream, and the garbage
 * they leave (bench/HISTORY.md, 2026-12-01).
 *
 * `readAnswer` reads an answer as the adapter does: the status and body from
 * the record the adapter keeps (`responseViaCache` in @hono/node-server), or
 * through `arrayBuffer()` for an answer without one (a stream). It counts
 * both kinds, so a bench can say how its answers were read, and an adapter
 * that stops keeping the record shows in the report rather than silently
 * changing what is measured.
 */
import { getRequestListener } from "@hono/node-server";

let installed = false;

/** Installs the adapter's global Request and Response, as serving the app does. Idempotent. */
export function useServerGlobals(): void {
  if (installed) return;
  // The listener is not used: building one installs the globals (the adapter's documented default).
  getRequestListener(() => new Response(null));
  installed = true;
  if (readRecord(new Response("probe", { status: 201 }))?.status !== 201)
    throw new Error("@hono/node-server no longer keeps an answer's record on its Response: see server-globals.ts");
}

export const answersRead = { fromRecord: 0, throughUndici: 0 };

/** Reads an answer's body as the adapter does; its status is the caller's to check first. */
export async function readAnswer(response: Response): Promise<void> {
  if (readRecord(response) !== undefined) {
    answersRead.fromRecord++;
    return;
  }
  answersRead.throughUndici++;
  await response.arrayBuffer();
}

/** How the answers were read, for a report's text. */
export function describeAnswersRead(): string {
  const { fromRecord, throughUndici } = answersRead;
  return throughUndici === 0
    ? `every answer (${fromRecord}) read from the adapter's record`
    : `${fromRecord} answers read from the adapter's record, ${throughUndici} through undici`;
}

function readRecord(response: Response): { status: number; body: unknown } | undefined {
  const key = Object.getOwnPropertySymbols(response).find((symbol) => symbol.description === "cache");
  const record = key === undefined ? undefined : (response as unknown as Record<symbol, unknown>)[key];
  if (!Array.isArray(record)) return undefined;
  const [status, body] = record as [number, unknown];
  return typeof body === "string" || body instanceof Uint8Array || body === null ? { status, body } : undefined;
}

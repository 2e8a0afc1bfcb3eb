/**
 * Records who called (organisation and user rows) without writing on every
 * request: a caller whose profile was written less than `freshForMs` ago in
 * this process is not written again. `last_seen_at` is therefore accurate to
 * that interval. Measured by bench/host-token.bench.ts.
 *
 * With several processes on one database each keeps its own memory, and that
 * stays correct: a token saying something new about the caller (email, name,
 * role, locale, time zone) is a different key, so whichever process sees it
 * writes it at once; what a process skips is only writing again what it
 * wrote itself within the interval, usually an older profile than one
 * another process wrote since. Within one process a profile changed and
 * changed back within the interval (admin → recruiter → admin) is written
 * again: writing a caller's profile forgets the one written before it, unless
 * the token is older (`iat`) than the one written last, whose profile then
 * stays. Left stale, for at most the interval, is that case spread over
 * several processes; reading the row back on every request to close it would
 * cost more than the rest of the request (issue 15). Where the role decides
 * (an organisation flow's callback), the flow's start writes its token's
 * profile itself; and a row is never overwritten by a token issued before the
 * one it holds, whichever process writes (tenancy.ts upsertUser).
 */
import type { Clock } from "../clock.ts";
import type { DB } from "./database.ts";
import { type CallerClaims, recordCaller, userScopeIdentity, userScopeOf } from "./tenancy.ts";

export interface CallerRecorderOptions {
  db: DB;
  clock: Clock;
  freshForMs?: number;
  maxEntries?: number;
}

/** A verified token's claims: a profile, and when the token was issued. */
export type RecordedCaller = CallerClaims & { iat?: number | undefined };

/** Undefined when there was nothing to write (the caller was written less than `freshForMs` ago), else the write. */
export type CallerRecorder = (caller: RecordedCaller) => Promise<void> | undefined;

/**
 * The caller's profile as one string (the recorder's key). Claims frozen by the host-token check are the same object
 * on every use of one token (auth/host-token.ts): their key is built once, not per request (issue 15).
 */
const frozenKeys = new WeakMap<CallerClaims, string>();
function profileKey(caller: CallerClaims): string {
  let key = frozenKeys.get(caller);
  if (key === undefined) {
    key = JSON.stringify([
      caller.iss,
      caller.org,
      caller.sub,
      caller.email,
      caller.name,
      caller.role,
      caller.locale,
      caller.tz,
    ]);
    if (Object.isFrozen(caller)) frozenKeys.set(caller, key);
  }
  return key;
}

export function createCallerRecorder(options: CallerRecorderOptions): CallerRecorder {
  const { db, clock, freshForMs = 60_000, maxEntries = 10_000 } = options;
  const written = new Map<string, number>();
  /** Per caller (host, organisation, user): the profile this process wrote last, and its token's `iat`. */
  const lastWritten = new Map<string, { key: string; iat: number }>();
  const write = async (caller: RecordedCaller, key: string, identity: string, now: number) => {
    await recordCaller(db, caller, clock);
    const previous = lastWritten.get(identity);
    if (previous && previous.key !== key) written.delete(previous.key);
    lastWritten.delete(identity);
    lastWritten.set(identity, { key, iat: caller.iat ?? 0 });
    written.delete(key);
    written.set(key, now);
    // Maps iterate in insertion order: the first key is the one written longest ago.
    if (written.size > maxEntries) written.delete(written.keys().next().value as string);
    if (lastWritten.size > maxEntries) lastWritten.delete(lastWritten.keys().next().value as string);
  };
  return function recordCallerOnce(caller) {
    const key = profileKey(caller);
    const now = clock.now().getTime();
    const at = written.get(key);
    if (at !== undefined && now - at >= 0 && now - at < freshForMs) return undefined;
    const identity = userScopeIdentity(userScopeOf(caller));
    const last = lastWritten.get(identity);
    if (last && last.key !== key && (caller.iat ?? 0) < last.iat) return undefined;
    return write(caller, key, identity, now);
  };
}

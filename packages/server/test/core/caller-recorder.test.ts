import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HostTokenClaims } from "../../src/auth/host-token.ts";
import { createCallerRecorder } from "../../src/store/caller-recorder.ts";
import { openDatabase } from "../../src/store/database.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { movableClock } from "../support/hosts.ts";

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
  await database.db
    .insertInto("hosts")
    .values({ id: "h", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" })
    .execute();
});
afterEach(() => database.close());

const caller = (overrides: Partial<HostTokenClaims> = {}): HostTokenClaims => ({
  iss: "h",
  sub: "u1",
  org: "o1",
  role: "recruiter",
  email: "u1@o1.example",
  iat: 0,
  exp: 0,
  ...overrides,
});
const lastSeen = async () =>
  await database.db
    .selectFrom("users")
    .select(["last_seen_at", "role"])
    .where("user_id", "=", "u1")
    .executeTakeFirstOrThrow();

describe("createCallerRecorder", () => {
  it("writes a caller once per interval and again after it", async () => {
    const clock = movableClock("2026-03-02T01:00:00.000Z");
    const record = createCallerRecorder({ db: database.db, clock, freshForMs: 60_000 });
    await record(caller());
    const first = await lastSeen();
    clock.advance(30);
    await record(caller());
    expect((await lastSeen()).last_seen_at).toBe(first.last_seen_at);
    clock.advance(31);
    await record(caller());
    expect((await lastSeen()).last_seen_at).not.toBe(first.last_seen_at);
  });

  it("answers at once, without a promise, when the caller was written within the interval", async () => {
    const clock = movableClock("2026-03-02T01:00:00.000Z");
    const record = createCallerRecorder({ db: database.db, clock, freshForMs: 60_000 });
    const frozen = Object.freeze(caller());
    await record(frozen);
    const first = await lastSeen();
    clock.advance(30);
    expect(record(frozen)).toBeUndefined();
    expect(record(caller())).toBeUndefined();
    expect((await lastSeen()).last_seen_at).toEqual(first.last_seen_at);
    await record(caller({ name: "Changed" }));
    expect((await lastSeen()).last_seen_at).not.toEqual(first.last_seen_at);
  });

  it("writes at once when the profile in the token changed", async () => {
    const clock = movableClock("2026-03-02T01:00:00.000Z");
    const record = createCallerRecorder({ db: database.db, clock });
    await record(caller());
    await record(caller({ role: "admin" }));
    expect((await lastSeen()).role).toBe("admin");
  });
});

describe("createCallerRecorder when a profile changes back within the interval", () => {
  it("writes the profile of the newest token, as GET /v1/me then answers it", async () => {
    const clock = movableClock("2026-03-02T01:00:00.000Z");
    const record = createCallerRecorder({ db: database.db, clock });
    await record(caller({ role: "admin", iat: 100 }));
    // The portal demoted the user by mistake and promoted them again a few seconds later: each token says so.
    clock.advance(5);
    await record(caller({ role: "recruiter", iat: 105 }));
    clock.advance(5);
    await record(caller({ role: "admin", iat: 110 }));
    expect((await lastSeen()).role).toBe("admin");
  });

  it("does not write back the profile of a token older than the one written last", async () => {
    const clock = movableClock("2026-03-02T01:00:00.000Z");
    const record = createCallerRecorder({ db: database.db, clock });
    await record(caller({ role: "admin", iat: 100 }));
    clock.advance(5);
    await record(caller({ role: "recruiter", iat: 105 }));
    // A page still holding the token from before the change.
    clock.advance(5);
    expect(record(caller({ role: "admin", iat: 100 }))).toBeUndefined();
    expect((await lastSeen()).role).toBe("recruiter");
  });
});

describe("createCallerRecorder in two server processes on one database", () => {
  it("writes a changed profile at once whichever process sees it, and never writes the older one back", async () => {
    const clock = movableClock("2026-03-02T01:00:00.000Z");
    const other = openDatabase(database.options);
    try {
      const first = createCallerRecorder({ db: database.db, clock });
      const second = createCallerRecorder({ db: other, clock });
      await first(caller());
      // The portal made the user an admin: the next token, sent to the other process, says so.
      clock.advance(5);
      await second(caller({ role: "admin" }));
      expect((await lastSeen()).role).toBe("admin");
      // A token issued before the change is still valid for a while; the first process saw it already.
      clock.advance(5);
      await first(caller());
      expect((await lastSeen()).role).toBe("admin");
    } finally {
      await other.destroy();
    }
  });
});

/**
 * The candidate's page while the database cannot answer, over HTTP on the real
 * app (SQLite and PostgreSQL): the link's row held locked by another writer
 * past the app's (short, here) lock timeouts, which the app takes for the
 * database being unavailable, as it takes a terminated connection or a
 * restart. The candidate gets a page in their language saying to try again
 * in a moment (503, Retry-After, the code in `data-error-code`), not the
 * API's JSON envelope in English; nothing is booked, and the pick books once
 * the database answers.
 */
import { describe, expect, it } from "vitest";
import { lockRowFor } from "../support/row-lock.ts";
import { useSchedulingLinks } from "./support.ts";

const lockWaitMs = 300;
const rig = useSchedulingLinks({
  pool: (options) => ({ ...options, statementTimeoutMs: lockWaitMs, busyTimeoutMs: lockWaitMs }),
});
const { takeSlots, offer, pick, zoomMeetings } = rig;

describe("a pick while the database cannot answer", () => {
  it("answers a page in the candidate's language saying to try again; books once the database is back", async () => {
    const [slot] = takeSlots(1);
    const { id, path } = await offer([slot!]);
    const locked = lockRowFor(rig.t, "scheduling_links", id, 4 * lockWaitMs);
    // The lock is taken before the pick asks for the row.
    await new Promise((resolve) => setTimeout(resolve, lockWaitMs / 2));
    const refused = await pick(path, slot!.start);
    await locked;

    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(refused.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await refused.text();
    expect(html).toContain('<html lang="ja"');
    expect(html).toContain("ただいまご利用いただけません");
    expect(html).toContain('data-error-code="database_unavailable"');
    expect(html).not.toContain('"error"');
    expect((await zoomMeetings()).filter((meeting) => meeting.start === slot!.start)).toEqual([]);

    expect((await pick(path, slot!.start, { lang: "en" })).status).toBe(303);
    expect((await zoomMeetings()).filter((meeting) => meeting.start === slot!.start)).toHaveLength(1);
  });
});

/**
 * The fakes look request values up in their own tables (a meeting list's
 * `type`, a Graph time zone name); a name every plain object inherits
 * (`constructor`, `toString`, `__proto__`) is an unknown value there, answered
 * as the provider answers an unknown value, never as a match.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenSet } from "../../src/providers/types.ts";
import { link as linkMicrosoft, type MicrosoftTestEnv, startMicrosoft } from "../providers/microsoft-helpers.ts";
import { link as linkZoom, startZoom, type ZoomHarness } from "../providers/zoom-support.ts";

const inherited = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];

describe("Zoom fake: GET /v2/users/me/meetings?type=", () => {
  let zoom: ZoomHarness;
  let tokens: TokenSet;
  beforeAll(async () => {
    zoom = await startZoom();
    tokens = await linkZoom(zoom, "zU_sho");
  });
  afterAll(() => zoom.close());

  it("refuses a type that is an inherited property name as Zoom refuses any unknown type (400, code 300)", async () => {
    for (const type of inherited) {
      const response = await fetch(`${zoom.running.baseUrl}/v2/users/me/meetings?type=${type}`, {
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      expect({ type, status: response.status, body: await response.json() }).toMatchObject({
        type,
        status: 400,
        body: { code: 300 },
      });
    }
    const known = await fetch(`${zoom.running.baseUrl}/v2/users/me/meetings?type=upcoming`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(known.status).toBe(200);
  });
});

describe("Microsoft fake: time zone names", () => {
  let env: MicrosoftTestEnv;
  let tokens: TokenSet;
  beforeAll(async () => {
    env = await startMicrosoft();
    tokens = await linkMicrosoft(env);
  });
  afterAll(() => env.running.close());

  const graph = (path: string, init: RequestInit = {}) =>
    fetch(`${env.running.baseUrl}/v1.0${path}`, {
      ...init,
      headers: { authorization: `Bearer ${tokens.accessToken}`, "content-type": "application/json", ...init.headers },
    });

  it("refuses an event whose time zone is an inherited property name with TimeZoneNotSupportedException", async () => {
    for (const timeZone of inherited) {
      const response = await graph("/me/events", {
        method: "POST",
        body: JSON.stringify({
          subject: "面接",
          start: { dateTime: "2026-12-08T10:00:00", timeZone },
          end: { dateTime: "2026-12-08T11:00:00", timeZone },
        }),
      });
      expect({ timeZone, status: response.status, body: await response.json() }).toMatchObject({
        timeZone,
        status: 400,
        body: { error: { code: "TimeZoneNotSupportedException" } },
      });
    }
  });

  it("answers in UTC when Prefer names such a zone, as for any zone Graph does not know", async () => {
    const created = await graph("/me/events", {
      method: "POST",
      body: JSON.stringify({
        subject: "面接",
        start: { dateTime: "2026-12-08T10:00:00", timeZone: "Asia/Tokyo" },
        end: { dateTime: "2026-12-08T11:00:00", timeZone: "Asia/Tokyo" },
      }),
    });
    const { id } = (await created.json()) as { id: string };
    for (const zone of inherited) {
      const response = await graph(`/me/events/${encodeURIComponent(id)}`, {
        headers: { prefer: `outlook.timezone="${zone}"` },
      });
      expect({ zone, status: response.status, body: await response.json() }).toMatchObject({
        zone,
        status: 200,
        body: { start: { dateTime: "2026-12-08T01:00:00.0000000", timeZone: "UTC" } },
      });
    }
  });
});

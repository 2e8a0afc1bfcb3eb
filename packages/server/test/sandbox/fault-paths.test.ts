/**
 * The control API refuses a fault no call could meet (`POST /_control/fail`
 * and `/_control/rate-limit` with a path or method the fake does not serve),
 * naming the paths it serves, on each of the four fakes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderId } from "../../src/providers/errors.ts";
import type { FakeContext, FakeProvider } from "../../src/sandbox/fake.ts";
import { couldStartWith } from "../../src/sandbox/fault-paths.ts";
import { createGoogleFake } from "../../src/sandbox/google/index.ts";
import { createMicrosoftFake } from "../../src/sandbox/microsoft/index.ts";
import { createSlackFake } from "../../src/sandbox/slack/index.ts";
import { createZoomFake } from "../../src/sandbox/zoom/index.ts";
import { type RunningFake, startFake } from "../support/fake-server.ts";

const creators: Record<ProviderId, (context: FakeContext) => FakeProvider> = {
  google: createGoogleFake,
  microsoft: createMicrosoftFake,
  zoom: createZoomFake,
  slack: createSlackFake,
};
const fakes = {} as Record<ProviderId, RunningFake>;

beforeAll(async () => {
  for (const [provider, create] of Object.entries(creators)) fakes[provider as ProviderId] = await startFake(create);
});
afterAll(async () => {
  await Promise.all(Object.values(fakes).map((fake) => fake.close()));
});

async function queue(provider: ProviderId, control: "/fail" | "/rate-limit", fault: Record<string, unknown>) {
  const body = control === "/fail" ? { status: 500, ...fault } : fault;
  const response = await fetch(`${fakes[provider].baseUrl}/_control${control}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
}

describe("a fault's path", () => {
  it.each([
    ["google", "/token"],
    ["google", "/calendar/v3"],
    ["google", "/calendar/v3/calendars/"],
    ["google", "/calendar/v3/calendars/primary/events/ev1"],
    ["microsoft", "/organizations/oauth2/v2.0/token"],
    ["microsoft", "/v1.0/me/calendar/getSchedule"],
    ["zoom", "/oauth/token"],
    ["zoom", "/v2/meetings/"],
    ["zoom", "/v2/users/me/meetings"],
    ["slack", "/api/oauth.v2.access"],
    ["slack", "/api/openid.connect.token"],
    ["slack", "/api/"],
  ] as const)("is taken on %s when it starts a path the fake serves (%s)", async (provider, path) => {
    expect(await queue(provider, "/fail", { path })).toEqual({ status: 200, body: { ok: true } });
    expect(await queue(provider, "/rate-limit", { path })).toEqual({ status: 200, body: { ok: true } });
    await fakes[provider].control("/reset");
  });

  it.each([
    ["slack", "oauth.v2.access", "/api/oauth.v2.access"],
    ["slack", "/oauth.v2.access", "/api/oauth.v2.access"],
    ["slack", "https://slack.com/api/oauth.v2.access", "/api/oauth.v2.access"],
    ["google", "token", "/token"],
    ["google", "https://oauth2.googleapis.com/token", "/token"],
    ["microsoft", "/oauth2/v2.0/token", "/:tenant/oauth2/v2.0/token"],
    ["zoom", "oauth/token", "/oauth/token"],
  ] as const)("is refused on %s in a form no call has (%s), with the path meant", async (provider, path, meant) => {
    for (const control of ["/fail", "/rate-limit"] as const) {
      const refused = await queue(provider, control, { path });
      expect(refused).toEqual({
        status: 400,
        body: {
          error: { code: "invalid_control_request", message: expect.stringContaining(`did you mean "${meant}"`) },
        },
      });
      expect(refused.body.error?.message).toContain(`path "${path}" starts no path the ${provider} fake serves`);
    }
  });

  it("is refused when it starts nothing served, naming every path the fake serves", async () => {
    const refused = await queue("slack", "/fail", { path: "/api/oauth.access" });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toBe(
      'path "/api/oauth.access" starts no path the slack fake serves. It serves /oauth/v2/authorize, ' +
        "/api/oauth.v2.access, /openid/connect/authorize, /api/openid.connect.token, /api/openid.connect.userInfo, " +
        "/avatars/:file{[A-Z0-9]+_[0-9]+\\.svg}, /openid/connect/keys, /.well-known/openid-configuration, " +
        "/api/auth.test, /api/auth.revoke, /api/users.info, /api/conversations.open, /api/chat.postMessage",
    );
  });

  it("is not queued when refused: the next call goes through", async () => {
    await queue("zoom", "/fail", { path: "oauth/token" });
    const response = await fetch(`${fakes.zoom.baseUrl}/oauth/token`, { method: "POST" });
    // The fake's own answer to a token request without credentials, not the injected 500.
    expect(response.status).not.toBe(500);
    expect(await fakes.zoom.calls("POST /oauth/token")).toBe(1);
    await fakes.zoom.control("/reset");
  });
});

describe("a fault's method", () => {
  it("is refused when no call under the path has it, naming the methods served there", async () => {
    const refused = await queue("zoom", "/fail", { path: "/oauth/token", method: "get" });
    expect(refused).toEqual({
      status: 400,
      body: {
        error: {
          code: "invalid_control_request",
          message: 'the zoom fake serves no GET call under "/oauth/token"; there it serves POST',
        },
      },
    });
    expect((await queue("zoom", "/fail", { method: "PUT" })).body.error?.message).toBe(
      "the zoom fake serves no PUT call at all; it serves GET, POST, PATCH, DELETE",
    );
  });

  it("is taken when some call under the path has it", async () => {
    expect(
      await queue("google", "/fail", { path: "/calendar/v3/calendars/primary/events/ev1", method: "PATCH" }),
    ).toEqual({ status: 200, body: { ok: true } });
    expect(await queue("slack", "/fail", { path: "/api/oauth.v2.access", method: "GET" })).toEqual({
      status: 200,
      body: { ok: true },
    });
    await Promise.all([fakes.google.control("/reset"), fakes.slack.control("/reset")]);
  });
});

describe("couldStartWith", () => {
  it("reads a route's segments as a call's path would fill them", () => {
    expect(couldStartWith("/:tenant/oauth2/v2.0/token", "/common/oauth2/v2.0/token")).toBe(true);
    expect(couldStartWith("/:tenant/oauth2/v2.0/token", "/common/oauth2/v2")).toBe(true);
    expect(couldStartWith("/:tenant/oauth2/v2.0/token", "//oauth2/v2.0/token")).toBe(false);
    expect(couldStartWith("/avatars/:file{[A-Z0-9]+_[0-9]+\\.svg}", "/avatars/U1_48.svg")).toBe(true);
    expect(couldStartWith("/:version{v1\\.0|beta}/me", "/v2.0/me")).toBe(false);
    expect(couldStartWith("/api/oauth.v2.access", "/api/oauth.v2.access/more")).toBe(false);
    expect(couldStartWith("/api/oauth.v2.access", "/")).toBe(true);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../src/providers/errors.ts";
import { link, moveClockToNextDay, startZoom, type ZoomHarness } from "./zoom-support.ts";

let zoom: ZoomHarness;
beforeAll(async () => {
  zoom = await startZoom();
});
afterAll(() => zoom.close());
beforeEach(async () => {
  await zoom.running.control("/reset");
  zoom.slept.length = 0;
});

const interview = (start: Date) => ({ topic: "面接", start, durationMinutes: 30, timeZone: "Asia/Tokyo" });

describe("Zoom's per-user daily cap on meeting create/update", () => {
  it(
    "answers the 101st write of the UTC day with 429 Daily-limit and an ISO Retry-After; our client fails at once " +
      "with rate_limited",
    async () => {
      const now = moveClockToNextDay(zoom.running, 10);
      const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
      const sho = await link(zoom, "zU_sho");
      const api = zoom.client.api(sho.accessToken);
      const start = new Date(now.getTime() + 86_400_000);
      const first = await api.createMeeting("me", interview(start));
      for (let index = 1; index < 99; index++) await api.createMeeting("me", interview(start));
      await api.updateMeeting(first.id, { topic: "the 100th write" });

      const raw = await fetch(`${zoom.running.baseUrl}/v2/meetings/${first.id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${sho.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ topic: "one too many" }),
      });
      expect(raw.status).toBe(429);
      expect(raw.headers.get("x-ratelimit-type")).toBe("Daily-limit");
      expect(raw.headers.get("retry-after")).toBe(midnight.toISOString().replace(".000Z", "Z"));

      // The sandbox clock keeps ticking from `now`, so the wait is 14 hours less the moments the test took.
      const untilMidnight = expect.toSatisfy(
        (ms: number) => ms <= midnight.getTime() - now.getTime() && ms > midnight.getTime() - now.getTime() - 60_000,
      );
      const error = await api.createMeeting("me", interview(start)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ provider: "zoom", status: 429, code: "rate_limited", retryAfterMs: untilMidnight });
      expect(zoom.slept).toEqual([]);
      await expect(api.updateMeeting(first.id, { topic: "still too many" })).rejects.toMatchObject({
        code: "rate_limited",
        retryAfterMs: untilMidnight,
      });

      // Other users keep their own allowance, and the cap resets at 00:00 UTC.
      const other = await link(zoom, "zU_james");
      await expect(zoom.client.api(other.accessToken).createMeeting("me", interview(start))).resolves.toMatchObject({
        hostId: "zU_james",
      });
      zoom.running.clock.advance(midnight.getTime() - zoom.running.clock.now().getTime());
      // Fourteen hours outlive the access token.
      const renewed = await zoom.client.oauth.refresh(sho.refreshToken ?? "");
      await expect(zoom.client.api(renewed.accessToken).createMeeting("me", interview(start))).resolves.toMatchObject({
        hostId: "zU_sho",
      });
    },
  );
});

describe("Zoom QPS limits and injected failures", () => {
  it("sends Zoom's rate-limit headers on a forced 429", async () => {
    await zoom.running.control("/rate-limit", { count: 1, retryAfter: "2", path: "/v2/users/me" });
    const response = await fetch(`${zoom.running.baseUrl}/v2/users/me`);
    expect(response.status).toBe(429);
    expect(
      Object.fromEntries(
        ["x-ratelimit-category", "x-ratelimit-type", "x-ratelimit-limit", "x-ratelimit-remaining", "retry-after"].map(
          (name) => [name, response.headers.get(name)],
        ),
      ),
    ).toEqual({
      "x-ratelimit-category": "Light",
      "x-ratelimit-type": "QPS",
      "x-ratelimit-limit": "30",
      "x-ratelimit-remaining": "0",
      "retry-after": "2",
    });
    expect(await response.json()).toMatchObject({ code: 429 });
  });

  it("retries a QPS 429 after its Retry-After, then succeeds", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    await zoom.running.control("/rate-limit", { count: 2, retryAfter: "1", path: "/v2/users/me" });
    await expect(zoom.client.api(accessToken).me()).resolves.toMatchObject({ id: "zU_sho" });
    expect(zoom.slept).toEqual([1000, 1000]);
    expect(await zoom.running.calls("GET /v2/users/me")).toBe(3);
  });

  it("retries a QPS 429 on meeting create too, since Zoom processed nothing", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    await zoom.running.control("/rate-limit", { count: 1, retryAfter: "1", path: "/v2/users/me/meetings" });
    await expect(
      zoom.client.api(accessToken).createMeeting("me", interview(new Date(Date.now() + 86_400_000))),
    ).resolves.toMatchObject({ hostId: "zU_sho" });
    expect(zoom.slept).toEqual([1000]);
  });

  it("retries 5xx on reads with backoff, then succeeds", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    await zoom.running.control("/fail", { count: 2, status: 503, path: "/v2/users/me" });
    await expect(zoom.client.api(accessToken).me()).resolves.toMatchObject({ id: "zU_sho" });
    expect(zoom.slept).toHaveLength(2);
    expect(zoom.slept[1]).toBeGreaterThan(zoom.slept[0] ?? Infinity);
  });

  it("does not resend a meeting create after a 5xx: Zoom may have created it", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    await zoom.running.control("/fail", { count: 1, status: 500, path: "/v2/users/me/meetings" });
    await expect(
      zoom.client.api(accessToken).createMeeting("me", interview(new Date(Date.now() + 86_400_000))),
    ).rejects.toMatchObject({ status: 500 });
    expect(await zoom.running.calls("POST /v2/users/me/meetings")).toBe(1);
    expect(zoom.slept).toEqual([]);
  });

  it("does not resend a refresh after a 5xx, since the refresh token may be spent", async () => {
    const tokens = await link(zoom, "zU_sho");
    await zoom.running.control("/fail", { count: 1, status: 502, path: "/oauth/token" });
    await expect(zoom.client.oauth.refresh(tokens.refreshToken ?? "")).rejects.toMatchObject({
      status: 502,
      code: "server_error",
    });
    expect(await zoom.running.calls("POST /oauth/token")).toBe(2);
    await expect(zoom.client.oauth.refresh(tokens.refreshToken ?? "")).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });

  it("gives up when Zoom asks for a longer wait than the retry policy allows", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    await zoom.running.control("/rate-limit", { count: 1, retryAfter: "60", path: "/v2/users/me" });
    await expect(zoom.client.api(accessToken).me()).rejects.toMatchObject({
      status: 429,
      code: "rate_limited",
      retryAfterMs: 60_000,
    });
    expect(zoom.slept).toEqual([]);
  });
});

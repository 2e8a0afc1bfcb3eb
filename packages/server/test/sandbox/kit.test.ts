import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SandboxClock } from "../../src/sandbox/clock.ts";
import { AuthorizationCodes, basicCredentials, verifyPkce } from "../../src/sandbox/oauth-kit.ts";
import { busyTimesFor, people, slack, zoom } from "../../src/sandbox/seed.ts";

const verifier = "a".repeat(43);
const challenge = createHash("sha256").update(verifier).digest("base64url");

describe("AuthorizationCodes", () => {
  const grant = {
    clientId: "c",
    redirectUri: "http://localhost/cb",
    codeChallenge: challenge,
    codeChallengeMethod: "S256" as const,
    subject: { user: "u1" },
  };

  it("redeems a code once, bound to client, redirect URI and PKCE", () => {
    const codes = new AuthorizationCodes<{ user: string }>(new SandboxClock(), 60_000);
    const code = codes.issue(grant);
    const first = codes.redeem(code, { clientId: "c", redirectUri: "http://localhost/cb", codeVerifier: verifier });
    expect(first).toMatchObject({ ok: true, grant: { subject: { user: "u1" } } });
    expect(codes.redeem(code, { clientId: "c", redirectUri: "http://localhost/cb", codeVerifier: verifier })).toEqual({
      ok: false,
      reason: "unknown_code",
    });
  });

  it.each([
    [{ clientId: "other", redirectUri: "http://localhost/cb", codeVerifier: verifier }, "client_mismatch"],
    [{ clientId: "c", redirectUri: "http://localhost/cb/", codeVerifier: verifier }, "redirect_uri_mismatch"],
    [{ clientId: "c", redirectUri: "http://localhost/cb", codeVerifier: undefined }, "pkce_missing"],
    [{ clientId: "c", redirectUri: "http://localhost/cb", codeVerifier: "b".repeat(43) }, "pkce_mismatch"],
  ])("refuses %o as %s, and the code is gone afterwards", (request, reason) => {
    const codes = new AuthorizationCodes<{ user: string }>(new SandboxClock(), 60_000);
    const code = codes.issue(grant);
    expect(codes.redeem(code, request)).toEqual({ ok: false, reason });
    expect(codes.redeem(code, { clientId: "c", redirectUri: "http://localhost/cb", codeVerifier: verifier })).toEqual({
      ok: false,
      reason: "unknown_code",
    });
  });

  it("refuses a verifier for a code issued without a challenge, and redeems that code without one", () => {
    const codes = new AuthorizationCodes<{ user: string }>(new SandboxClock(), 60_000);
    const stripped = { ...grant, codeChallenge: undefined };
    const request = { clientId: "c", redirectUri: "http://localhost/cb" };
    expect(codes.redeem(codes.issue(stripped), { ...request, codeVerifier: verifier })).toEqual({
      ok: false,
      reason: "pkce_unexpected",
    });
    expect(codes.redeem(codes.issue(stripped), { ...request, codeVerifier: undefined })).toMatchObject({ ok: true });
  });

  it("expires codes by the sandbox clock", () => {
    const clock = new SandboxClock();
    const codes = new AuthorizationCodes<{ user: string }>(clock, 5 * 60_000);
    const code = codes.issue(grant);
    clock.advance(5 * 60_000 + 1);
    expect(codes.redeem(code, { clientId: "c", redirectUri: "http://localhost/cb", codeVerifier: verifier })).toEqual({
      ok: false,
      reason: "expired_code",
    });
  });
});

describe("PKCE and Basic credentials", () => {
  it("checks S256 and plain challenges and the verifier's form", () => {
    expect(verifyPkce(verifier, challenge, "S256")).toBe(true);
    expect(verifyPkce(verifier, verifier, "plain")).toBe(true);
    expect(verifyPkce("short", "short", "plain")).toBe(false);
  });
  it("reads client credentials from an Authorization header", () => {
    const header = `Basic ${Buffer.from("id:se:cret").toString("base64")}`;
    expect(basicCredentials(header)).toEqual({ clientId: "id", clientSecret: "se:cret" });
    expect(basicCredentials("Bearer x")).toBeUndefined();
  });
});

describe("seed", () => {
  it("has about ten people and the outsiders the guards need", () => {
    expect(people.length).toBeGreaterThanOrEqual(10);
    expect(zoom.users.some((user) => user.accountId !== zoom.accountId)).toBe(true);
    expect(zoom.users.some((user) => user.type === 1)).toBe(true);
    expect(slack.members.filter((member) => member.isUltraRestricted)).toHaveLength(1);
    expect(slack.members.some((member) => member.teamId === slack.otherTeam.id)).toBe(true);
  });

  it("gives each person the same weekday busy times for the same start, inside Tokyo working hours", () => {
    const from = new Date("2026-11-23T00:00:00Z");
    const busy = busyTimesFor("ken.sato@sakura-recruit.example", from, 14);
    expect(busy).toEqual(busyTimesFor("ken.sato@sakura-recruit.example", from, 14));
    expect(busy.length).toBeGreaterThan(10);
    for (const interval of busy) {
      const tokyoHour = (interval.start.getUTCHours() + 9) % 24;
      expect(tokyoHour).toBeGreaterThanOrEqual(9);
      expect(interval.end.getTime()).toBeGreaterThan(interval.start.getTime());
      const weekday = new Date(interval.start.getTime() + 9 * 3600_000).getUTCDay();
      expect([0, 6]).not.toContain(weekday);
    }
  });
});

/**
 * Sign in with Slack on the test app (../support/test-app.ts with the Slack
 * fake): portal users, sign-in tokens for people at the login page, and a
 * browser-like walk through start → begin → Slack's page → callback.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import { expect } from "vitest";
import { assertionType } from "../../src/signin/assertion.ts";
import { decide, openConsent } from "../providers/slack-support.ts";
import {
  beginFrom as begin,
  errorCodeOnPage,
  followToCallback as callback,
  postedMessage,
  portalOrigin,
} from "../support/round-trip.ts";
import { publicUrl, type TestApp } from "../support/test-app.ts";

export { portalOrigin, publicUrl };
export const loginPage = `${portalOrigin}/login`;

/** A portal user: who the host token (or the sign-in token) names. */
export interface Person {
  sub: string;
  org: string;
  role: "admin" | "recruiter" | "assistant" | "guest";
  email: string;
}

export const hanako: Person = {
  sub: "hanako",
  org: "sakura",
  role: "admin",
  email: "hanako.yamada@sakura-recruit.example",
};
export const ken: Person = { sub: "ken", org: "sakura", role: "recruiter", email: "ken.sato@sakura-recruit.example" };
/** A portal user whose email is the Slack multi-channel guest's. */
export const olivia: Person = {
  sub: "olivia",
  org: "sakura",
  role: "guest",
  email: "olivia.brown@talent-agency.example",
};

/** Slack members of the fake (src/sandbox/seed.ts). */
export const slackMembers = {
  hanako: "U0S001HANA",
  ken: "U0S002KEN",
  olivia: "U0G001OLIV",
  kenta: "U0G002KENT",
  hanakoInLabs: "U0L001HANA",
} as const;
export const sakuraTeam = "T0SAKURA01";

export type SignInApp = TestApp<"slack">;

/** A sign-in token the portal's backend signs for whoever is at the login page claiming to be `person`. */
export function signInToken(t: SignInApp, person: Person, overrides: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(t.clock.now().getTime() / 1000);
  return t.token(person, { aud: "tsunagu:signin", exp: now + 5 * 60, ...overrides });
}

/** The login page's call: `POST /v1/oauth/slack/start` with a sign-in token (or `token` as given) from the portal's
 * origin. */
export async function startSignIn(
  t: SignInApp,
  person: Person,
  body: Record<string, unknown> = { purpose: "signin", returnMode: "popup" },
  token?: string,
): Promise<Response> {
  return t.app.request("/v1/oauth/slack/start", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token ?? (await signInToken(t, person))}`,
      Origin: portalOrigin,
      "Content-Type": "application/json",
    },
    body: JSON.stringify(body),
  });
}

export { begin, callback };
export type { Begun } from "../support/round-trip.ts";

export interface Outcome {
  type: string;
  status: "linked" | "signed_in" | "error";
  flow: string;
  provider: string;
  purpose: string;
  accountId?: string;
  connectionId?: string;
  assertion?: string;
  error?: { code: string; message: string };
}

/** What the callback page posts to the opener; it must post to the login page's exact origin. */
export async function outcomeOf(response: Response): Promise<Outcome> {
  const html = await response.text();
  const posted = postedMessage(html);
  if (!posted)
    throw new Error(`the callback posted nothing (code ${errorCodeOnPage(html) ?? "none"}): ${html.slice(0, 400)}`);
  expect(posted.origin).toBe(portalOrigin);
  return posted.message as unknown as Outcome;
}

/** The admin connects the organisation's Slack workspace (bot install) as `member`. */
export async function connectSlack(
  t: SignInApp,
  admin: Person,
  member: string = slackMembers.hanako,
): Promise<Outcome> {
  const begun = await begin(
    t,
    await t.api(admin, "POST", "/v1/oauth/slack/start", { purpose: "org", returnMode: "popup" }),
  );
  return outcomeOf(await callback(t, await decide(await openConsent(begun.providerUrl), member), begun.cookie));
}

export async function setSignIn(t: SignInApp, admin: Person, enabled: boolean): Promise<Response> {
  return t.api(admin, "PUT", "/v1/signin/slack", { enabled });
}

/** The whole sign-in: the login page starts for `person`, Slack's page is answered as `member`; our callback's answer.
 * */
export async function signInAs(t: SignInApp, person: Person, member: string, body?: Record<string, unknown>) {
  // A second passes between sign-ins, as it would for a person.
  t.clock.advance(1);
  const begun = await begin(t, await startSignIn(t, person, body));
  const location = await decide(await openConsent(begun.providerUrl), member);
  return { ...begun, location, response: await callback(t, location, begun.cookie) };
}

/** The portal backend's check (README, "Sign in with Slack"): the server's JWKS, our issuer, the host as audience, the
 * assertion type. */
export async function verifyAssertion(t: SignInApp, assertion: string): Promise<JWTPayload> {
  const jwks = (await (await t.app.request("/.well-known/jwks.json")).json()) as JSONWebKeySet;
  const { payload } = await jwtVerify(assertion, createLocalJWKSet(jwks), {
    issuer: publicUrl,
    audience: "portal-a",
    typ: assertionType,
    algorithms: ["ES256"],
    currentDate: t.clock.now(),
  });
  return payload;
}

export async function expectApiError(
  response: Response,
  status: number,
  code: string,
): Promise<{ code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect({ status: response.status, body }).toMatchObject({ status, body: { error: { code } } });
  return body.error;
}

export const slackAccountsOf = (t: SignInApp, person: Person) =>
  t.db
    .selectFrom("accounts")
    .selectAll()
    .where("host_id", "=", "portal-a")
    .where("org_id", "=", person.org)
    .where("user_id", "=", person.sub)
    .where("provider", "=", "slack")
    .execute();

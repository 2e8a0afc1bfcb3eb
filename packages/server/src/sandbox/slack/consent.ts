/**
 * The two Slack consent pages (app install and Sign in with Slack) share their
 * checks and their account list: every active member of both workspaces,
 * guests included, so the guards can be tried with a click.
 */
import type { Context } from "hono";
import { type ConsentScope, consentPage } from "../consent-page.ts";
import type { FakeContext } from "../fake.ts";
import { htmlError } from "./http.ts";
import { displayName, findMember, findTeam, type FakeSlackMember, slackMembers } from "./seed.ts";

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  teamId: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: "S256" | "plain";
}

const scopeLabels: Record<string, string> = {
  "chat:write": "Send messages as the app",
  "im:write": "Start direct messages with people",
  "users:read": "View people in the workspace",
  "users:read.email": "View email addresses of people in the workspace",
  openid: "Confirm your identity",
  email: "View your email address",
  profile: "View your name, workspace and avatar",
};

/** Validates what every authorize request carries; answers Slack's error page when it cannot go on. */
export function readAuthorizeRequest(
  c: Context,
  params: Record<string, string | undefined>,
  context: FakeContext,
): AuthorizeRequest | Response {
  if (params.client_id !== context.clientId)
    return htmlError(c, "invalid_client_id", "This app's client_id is not known to this sandbox workspace.");
  const redirectUri = params.redirect_uri;
  if (!redirectUri || !/^https?:\/\//.test(redirectUri) || !URL.canParse(redirectUri)) {
    return htmlError(c, "bad_redirect_uri", "The redirect_uri is missing or is not an http(s) URL.");
  }
  const method = params.code_challenge_method ?? "plain";
  if (method !== "S256" && method !== "plain")
    return htmlError(c, "invalid_code_challenge_method", "code_challenge_method must be S256 or plain.");
  return {
    clientId: params.client_id,
    redirectUri,
    state: params.state,
    teamId: params.team,
    codeChallenge: params.code_challenge,
    codeChallengeMethod: method,
  };
}

export function splitScopes(value: string | undefined, separator: RegExp): string[] | undefined {
  const scopes = (value ?? "").split(separator).filter(Boolean);
  return scopes.every((scope) => /^[a-z][a-z.:_-]*$/.test(scope)) ? scopes : undefined;
}

export function renderConsent(
  c: Context,
  options: {
    title: string;
    action: string;
    request: AuthorizeRequest;
    scopes: string[];
    hidden: Record<string, string | undefined>;
    note: string;
  },
): Response | Promise<Response> {
  const scopes: ConsentScope[] = options.scopes.map((scope) => ({
    value: scope,
    label: `${scopeLabels[scope] ?? scope} (${scope})`,
  }));
  const accounts = slackMembers
    .filter((member) => !member.deleted && (!options.request.teamId || member.teamId === options.request.teamId))
    .map((member) => ({
      id: member.id,
      label: `${displayName(member)} — ${findTeam(member.teamId)?.name ?? member.teamId}`,
      detail: `${member.person.email}${guestNote(member)}`,
    }));
  const hidden: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.hidden)) if (value !== undefined) hidden[name] = value;
  return c.html(
    consentPage({
      providerName: options.title,
      brandColor: "#4a154b",
      appName: "Tsunagu",
      accounts,
      scopes,
      action: options.action,
      hidden,
      note: options.note,
    }),
  );
}

function guestNote(member: FakeSlackMember): string {
  if (member.isUltraRestricted) return " · single-channel guest";
  if (member.isRestricted) return " · multi-channel guest";
  return member.isAdmin ? " · workspace admin" : "";
}

/** The member chosen on the consent page, if the form names an active one (of the requested workspace). */
export function chosenMember(form: Record<string, unknown>, teamId: string | undefined): FakeSlackMember | undefined {
  const member = typeof form.account === "string" ? findMember(form.account) : undefined;
  if (!member || member.deleted || (teamId && member.teamId !== teamId)) return undefined;
  return member;
}

/** Hono's parseBody gives strings (or arrays, for repeated names); this flattens to the first string. */
export function formStrings(form: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(form)) {
    const first = Array.isArray(value) ? value[0] : value;
    out[name] = typeof first === "string" && first !== "" ? first : undefined;
  }
  return out;
}

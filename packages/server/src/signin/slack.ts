/**
 * Sign in with Slack as a way to log in to the portal (purpose `signin`):
 * OpenID Connect with the flow's nonce, the id_token verified by the Slack
 * client (signature, issuer, audience, expiry, nonce, at_hash), then the
 * guards that make "this person controls a Slack account" mean "this person
 * is the portal user they claim to be":
 *
 * 1. the workspace is the one the organisation connected;
 * 2. Slack verified the email, and it is the portal user's, ignoring case;
 * 3. the member, read with the workspace's bot token, is active and no guest.
 *
 * The workspace and member checks are the link adapter's own decisions
 * (src/oauth/guards.ts), with the same codes; the messages speak of signing
 * in. What
 * passes becomes a personal account the sign-in completion links once
 * (src/signin/completion.ts).
 *
 * A refused sign-in's token is not revoked: Slack may hand back the user
 * token an account linked earlier still uses, and it reads no more than the
 * person's own identity (`openid email profile`).
 */
import { ProviderError } from "../providers/errors.ts";
import type { HttpDeps } from "../providers/http.ts";
import type { OAuthApp, SlackEndpoints } from "../providers/settings.ts";
import { createSlackClient, type SlackClient, type SlackIdentity, slackScopes } from "../providers/slack.ts";
import type { TokenSet } from "../providers/types.ts";
import type { CompletionParams, LinkAdapter, LinkFlow, LinkOutcome } from "../oauth/provider-link.ts";
import { memberAsOrganisation, personalIdentity } from "../oauth/adapters/slack.ts";
import { slackMemberVerdict, slackWorkspaceVerdict, type Verdict, wordVerdict } from "../oauth/guards.ts";
import { refusal } from "../oauth/refusals.ts";

type Refused = Extract<LinkOutcome, { kind: "refused" }>;

/**
 * Every refusal of a Slack sign-in: stable codes, and messages that say what to do without naming anyone else's email
 * or the organisation's workspace to someone not shown to belong to it. The person at the login page is not signed in:
 * anyone who types a member's email gets this far, so a wrong workspace names only the one they signed in to. The
 * messages that name the organisation's workspace come after the person signed in to that very workspace with the
 * user's email.
 */
export const slackSignInRefusals = {
  slack_wrong_workspace: (signedInTo: string, _connected: string) =>
    `You signed in to the Slack workspace "${signedInTo}", which is not the one your organisation signs in with. ` +
    `Sign in again and choose your organisation's workspace in the Slack workspace menu (top right of Slack's page).`,
  signin_email_mismatch: (slackEmail: string) =>
    `You signed in to Slack as ${slackEmail}, which is not the email address of the account you are signing in to. ` +
    `Sign in to Slack with the account that uses the same email address, or sign in another way.`,
  signin_email_unverified: (slackEmail: string) =>
    `Slack has not verified the email address ${slackEmail} of this Slack account, so it cannot prove who you are. ` +
    `Confirm the address in Slack, or sign in another way.`,
  slack_guest_not_allowed: (kind: "multi-channel" | "single-channel", workspace: string) =>
    `Your Slack account is a ${kind} guest in "${workspace}", and guest accounts cannot sign in. Sign in with your ` +
    `full member account, or sign in another way.`,
  slack_account_deactivated: (workspace: string) =>
    `This Slack account is deactivated in "${workspace}". Sign in with an active account, or sign in another way.`,
  slack_reconnect_required: (workspace: string) =>
    `Your organisation's Slack connection to "${workspace}" no longer works, so Slack sign-in cannot check your ` +
    `account. Sign in another way, and ask an administrator to connect Slack again.`,
  signin_id_token_invalid: () =>
    "Slack's answer could not be verified as belonging to this sign-in (it may be a replay, or it expired). Start " +
    "signing in again.",
  code_invalid: () =>
    "Slack did not accept this sign-in any more (it was used already or took too long). Start signing in again.",
  code_missing: () => "Slack sent no authorization code back. Start signing in again.",
} as const;

export type SlackSignInRefusalCode = keyof typeof slackSignInRefusals;

export function createSlackSignInAdapter(app: OAuthApp<SlackEndpoints>, deps: HttpDeps): LinkAdapter {
  const client = createSlackClient(app, deps);
  return {
    provider: "slack",
    purposes: ["signin"],

    authorizationUrl(_flow, params) {
      return client.signIn.authorizationUrl({
        state: params.state,
        codeChallenge: params.codeChallenge,
        redirectUri: params.redirectUri,
        scopes: [...slackScopes.personal],
        nonce: params.nonce,
      });
    },

    async complete(flow, callback, params): Promise<LinkOutcome> {
      const code = callback.get("code");
      if (!code) return refused("code_missing");
      let signedIn: { tokens: TokenSet; identity: SlackIdentity };
      try {
        signedIn = await client.signIn.identify({
          code,
          codeVerifier: params.codeVerifier,
          redirectUri: params.redirectUri,
          nonce: params.nonce,
        });
      } catch (error) {
        if (error instanceof ProviderError && error.code === "invalid_code") return refused("code_invalid");
        // Another nonce (a code from another sign-in), a bad signature, an expired id_token.
        if (error instanceof ProviderError && error.code === "invalid_id_token")
          return refused("signin_id_token_invalid");
        throw error;
      }
      const guarded = await guards(client, flow, signedIn.identity, params);
      if (guarded) return guarded;
      return { kind: "personal", account: personalIdentity(signedIn.identity), tokens: signedIn.tokens };
    },

    refresh: (current) => client.oauth.refresh(current.refreshToken),

    async revoke(tokens) {
      await client.oauth.revoke(tokens.accessToken);
      return { revoked: true };
    },
  };
}

function refused<C extends SlackSignInRefusalCode>(
  code: C,
  ...args: Parameters<(typeof slackSignInRefusals)[C]>
): Refused {
  const message = (slackSignInRefusals[code] as (...values: unknown[]) => string)(...args);
  return { kind: "refused", code, message };
}

/** The guards, cheapest first; undefined when this person may sign in as the flow's user. */
async function guards(
  client: SlackClient,
  flow: LinkFlow,
  identity: SlackIdentity,
  params: CompletionParams,
): Promise<Refused | undefined> {
  const connection = params.connection;
  if (!connection) return { kind: "refused", ...refusal("org_connection_missing") };
  const wrongWorkspace = slackWorkspaceVerdict(identity, connection);
  if (wrongWorkspace) return refusedFor(wrongWorkspace);
  const slackEmail = identity.email ?? "(no email address)";
  if (!sameEmail(identity.email, flow.userEmail)) return refused("signin_email_mismatch", slackEmail);
  if (!identity.emailVerified) return refused("signin_email_unverified", slackEmail);
  const member = slackMemberVerdict(
    await memberAsOrganisation(client, identity.userId, params),
    connection.displayName,
  );
  return member && refusedFor(member);
}

/** A guard's verdict (src/oauth/guards.ts, shared with linking), worded for signing in. */
function refusedFor(
  verdict: Verdict<
    "slack_wrong_workspace" | "slack_reconnect_required" | "slack_account_deactivated" | "slack_guest_not_allowed"
  >,
): Refused {
  return { kind: "refused", ...wordVerdict(slackSignInRefusals, verdict) };
}

function sameEmail(slackEmail: string | undefined, portalEmail: string): boolean {
  return slackEmail !== undefined && slackEmail.trim().toLowerCase() === portalEmail.trim().toLowerCase();
}

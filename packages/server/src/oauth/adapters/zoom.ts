/**
 * Zoom as a LinkAdapter (ARCHITECTURE.md, "Connections and accounts"):
 *
 * - org: the admin-managed app, installed for the whole Zoom account by an
 *   owner or admin (`zoomScopes.admin`). The connection is the Zoom account
 *   (`account_id`); the installer's own Zoom user becomes their personal
 *   account, sharing the tokens.
 * - personal: the user-managed app for one's own Zoom user (`zoomScopes.user`),
 *   which must belong to the connected Zoom account.
 *
 * Zoom's authorize step refuses a member's install of the admin-managed app,
 * and a user whose account has not pre-approved the app; when that comes back
 * as `error=access_denied`, `refusalForProviderError` says whom to ask instead
 * of "access was not allowed".
 */
import type { HttpDeps } from "../../providers/http.ts";
import { type ProviderError, ProviderResponseError } from "../../providers/errors.ts";
import type { OAuthApp, ZoomEndpoints } from "../../providers/settings.ts";
import type { TokenSet } from "../../providers/types.ts";
import { createZoomClient, type ZoomUser, zoomScopes } from "../../providers/zoom.ts";
import {
  type AuthorizationParams,
  type CompletionParams,
  type CompletionSerialiser,
  type ConnectionView,
  grantStamp,
  type LinkAdapter,
  type LinkedIdentity,
  type LinkFlow,
  type LinkOutcome,
  type LinkPurpose,
  type ProviderErrorReader,
} from "../provider-link.ts";
import { type Refusal, refusal } from "../refusals.ts";
import { wordVerdict, zoomPersonalVerdict } from "../guards.ts";
import { exchangeCodeOrRefuse } from "./code-exchange.ts";

/** Every refusal of this adapter: stable codes, and messages that say what to do. */
export const zoomRefusals = {
  zoom_admin_required:
    "Ask your Zoom account owner or admin to connect Zoom for your organisation: only an owner or admin of the Zoom " +
    "account can install Tsunagu for everyone in it. If you are one, sign in to Zoom as that user and connect again.",
  zoom_preapproval_required:
    "Ask your Zoom admin to pre-approve Tsunagu: your Zoom account only lets people add apps its admin has " +
    "pre-approved (Zoom App Marketplace, Manage, Permissions). Link again once it is approved.",
  zoom_foreign_account:
    "This Zoom user belongs to another Zoom account than the one your organisation connected. Sign out of Zoom, sign " +
    ("in with your Zoom user in your organisation's account and link again; if you have none there, ask your Zoom " +
      "admin to add you."),
} as const;

export type ZoomRefusalCode = keyof typeof zoomRefusals;

/**
 * How Zoom's authorize step says no beyond a plain "Deny": both come back as
 * `access_denied`, and only `error_description` tells them apart. Zoom
 * documents no redirect for either (its own pages explain, and offer "Request
 * pre-approval"), so these match the sandbox's wording; any other description
 * stays the engine's `consent_denied`.
 * https://developers.zoom.us/docs/integrations/end-user-auth/
 */
const authorizeRefusals: ReadonlyArray<{
  purpose: LinkPurpose;
  error: string;
  description: RegExp;
  code: "zoom_admin_required" | "zoom_preapproval_required";
}> = [
  { purpose: "org", error: "access_denied", description: /\bowner or admin\b/i, code: "zoom_admin_required" },
  { purpose: "personal", error: "access_denied", description: /\bpre-?approv/i, code: "zoom_preapproval_required" },
];

export function createZoomLinkAdapter(
  app: OAuthApp<ZoomEndpoints> & { adminApp?: { clientId: string; clientSecret: string } | undefined },
  deps: HttpDeps,
): LinkAdapter {
  const userClient = createZoomClient(app, deps);
  // Zoom lets no app mix admin-managed and user-managed scopes: the organisation install may be another app.
  const adminClient = app.adminApp ? createZoomClient({ ...app.adminApp, endpoints: app.endpoints }, deps) : userClient;
  const clientFor = (purpose: LinkPurpose) => (purpose === "org" ? adminClient : userClient);
  /** Tokens carry their grant's scopes; `:admin` ones come from the admin-managed app. */
  const clientOf = (tokens: TokenSet) =>
    tokens.scopes.some((scope) => scope.endsWith(":admin")) ? adminClient : userClient;
  const adapter: LinkAdapter & ProviderErrorReader & CompletionSerialiser = {
    provider: "zoom",
    purposes: ["org", "personal"],

    authorizationUrl(flow: LinkFlow, params: AuthorizationParams): URL {
      // Zoom lets no app mix admin-managed (`:admin`) and user-managed scopes.
      const scopes = flow.purpose === "org" ? zoomScopes.admin : zoomScopes.user;
      return clientFor(flow.purpose).oauth.authorizationUrl({
        state: params.state,
        codeChallenge: params.codeChallenge,
        redirectUri: params.redirectUri,
        scopes: [...scopes],
      });
    },

    async complete(flow: LinkFlow, callback: URLSearchParams, params: CompletionParams): Promise<LinkOutcome> {
      const client = clientFor(flow.purpose);
      const exchanged = await exchangeCodeOrRefuse("zoom", callback, isSpentCode, (code) =>
        client.oauth.exchangeCode({ code, codeVerifier: params.codeVerifier, redirectUri: params.redirectUri }),
      );
      if (exchanged.kind === "refused") return exchanged;
      // Zoom keeps one live grant per user: this one ended any granted before it.
      const grantedAt = grantStamp(deps.clock);
      const tokens = exchanged.value;
      const me = await client.api(tokens.accessToken).me();
      if (!me.accountId) throw new ProviderResponseError("zoom", 200, "Zoom's GET /users/me carried no account_id");
      const identity = identityOf(me, me.accountId);
      if (flow.purpose === "org") {
        return {
          kind: "org",
          // The account's name as Zoom tells it (the installer's profile company); without one, the id, which the
          // widgets label as a Zoom account.
          connection: {
            externalId: me.accountId,
            displayName: me.company?.trim() || me.accountId,
            detail: { accountId: me.accountId, installedBy: me.email },
          },
          grant: { tokens, ownAccount: identity },
        };
      }
      const connection = params.connection;
      if (!connection) {
        await client.oauth.revoke(tokens.accessToken);
        return { kind: "refused", ...refusal("org_connection_missing") };
      }
      const foreign = zoomPersonalVerdict({ accountId: me.accountId, email: me.email }, connection);
      if (foreign) {
        // We keep nothing of a user outside the organisation's account, and end the grant it just gave.
        await client.oauth.revoke(tokens.accessToken);
        return { kind: "refused", ...wordVerdict(zoomGuardMessages, foreign) };
      }
      return { kind: "personal", account: identity, tokens, grantedAt };
    },

    refresh: (current) => clientOf(current).oauth.refresh(current.refreshToken),

    async revoke(tokens: TokenSet) {
      await clientOf(tokens).oauth.revoke(tokens.accessToken);
      return { revoked: true };
    },

    /**
     * The engine's CompletionSerialiser capability: a personal link's Zoom user is in the connected Zoom account, so
     * completions per Zoom account and app cannot end each other's fresh tokens; an install's account is known only
     * after the exchange, so installs go one at a time per organisation.
     */
    completionKey: (flow: LinkFlow, connection: ConnectionView | undefined) =>
      flow.purpose === "personal" && connection
        ? `zoom:user-app:${connection.externalId}`
        : `zoom:${flow.purpose}:${flow.hostId}:${flow.orgId}`,

    /** The engine's ProviderErrorReader capability: Zoom's error redirects that mean "ask someone", not "you said no".
     * */
    refusalForProviderError: (flow: LinkFlow, callback: URLSearchParams) =>
      zoomAuthorizeRefusal(flow.purpose, callback),
  };
  return adapter;
}

/** What Zoom's error redirect means for this purpose, when it is one of ours (see `authorizeRefusals`); undefined
 * otherwise. */
export function zoomAuthorizeRefusal(purpose: LinkPurpose, callback: URLSearchParams): Refusal | undefined {
  const error = callback.get("error") ?? "";
  const description = callback.get("error_description") ?? "";
  const match = authorizeRefusals.find(
    (rule) => rule.purpose === purpose && rule.error === error && rule.description.test(description),
  );
  return match ? { code: match.code, message: zoomRefusals[match.code] } : undefined;
}

/** The guards' verdicts (src/oauth/guards.ts) in Zoom's words: the refusal, then whose account is whose. */
const zoomGuardMessages = {
  zoom_foreign_account: (account: string, connected: string) =>
    `${zoomRefusals.zoom_foreign_account} (${account}; your organisation's: ${connected})`,
};

/** A code Zoom refuses (spent, expired) answers 400 with its 4733/4734. */
const isSpentCode = (error: ProviderError) => error.status === 400;

function identityOf(me: ZoomUser, accountId: string): LinkedIdentity {
  const fullName = [me.firstName, me.lastName].filter(Boolean).join(" ");
  return {
    externalUserId: me.id,
    externalAccountId: accountId,
    email: me.email,
    displayName: me.displayName || fullName || me.email,
    // Host picking reads the licence type (1 Basic, 2 Licensed) for the concurrency limit.
    detail: {
      userType: me.type,
      ...(me.roleName ? { roleName: me.roleName } : {}),
      ...(me.timeZone ? { timeZone: me.timeZone } : {}),
    },
  };
}

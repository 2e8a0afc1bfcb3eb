/**
 * A test-only LinkAdapter over the production Zoom client, pointed at the
 * Zoom fake on loopback. It has just enough of the real adapter's behaviour
 * for the provider-independent flow tests (the real adapter, with every Zoom
 * guard and message, lives in src/ once it is written).
 */
import type { LinkAdapter, LinkedIdentity } from "../../src/oauth/provider-link.ts";
import { ProviderError } from "../../src/providers/errors.ts";
import { type ZoomClient, zoomScopes } from "../../src/providers/zoom.ts";

export function zoomLinkAdapter(client: ZoomClient): LinkAdapter {
  return {
    provider: "zoom",
    purposes: ["org", "personal"],
    authorizationUrl(flow, params) {
      return client.oauth.authorizationUrl({ ...params, scopes: flow.purpose === "org" ? [...zoomScopes.admin] : [...zoomScopes.user] });
    },
    async complete(flow, callback, params) {
      const code = callback.get("code");
      if (!code) return { kind: "refused", code: "code_missing", message: "Zoom sent no authorization code." };
      let tokens;
      try {
        tokens = await client.oauth.exchangeCode({ code, codeVerifier: params.codeVerifier, redirectUri: params.redirectUri });
      } catch (error) {
        if (error instanceof ProviderError && error.status === 400) return { kind: "refused", code: "code_invalid", message: "Zoom refused the authorization code (used already or expired). Start linking again." };
        throw error;
      }
      const me = await client.api(tokens.accessToken).me();
      const identity: LinkedIdentity = {
        externalUserId: me.id,
        externalAccountId: me.accountId ?? "",
        email: me.email,
        displayName: me.displayName ?? me.email,
        detail: { type: me.type },
      };
      if (flow.purpose === "org") {
        return { kind: "org", connection: { externalId: identity.externalAccountId, displayName: `Zoom ${identity.externalAccountId}`, detail: {} }, grant: { tokens, ownAccount: identity } };
      }
      if (params.connection && identity.externalAccountId !== params.connection.externalId) {
        return { kind: "refused", code: "zoom_foreign_account", message: "This Zoom user belongs to another Zoom account than your organisation's." };
      }
      return { kind: "personal", account: identity, tokens };
    },
    refresh: (current) => client.oauth.refresh(current.refreshToken),
    async revoke(tokens) {
      await client.oauth.revoke(tokens.accessToken);
      return { revoked: true };
    },
  };
}

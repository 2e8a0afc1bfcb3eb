/**
 * Sign-in adapters, and how the OAuth engine reaches them: the engine keeps
 * one adapter per provider, so a provider that offers sign-in gets its link
 * adapter with the `signin` purpose routed to the sign-in adapter. Refresh,
 * revocation and the other purposes stay the link adapter's.
 */
import type { LinkAdapter, LinkAdapters, LinkFlow, ProviderErrorReader } from "../oauth/provider-link.ts";
import { readsProviderErrors } from "../oauth/provider-link.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { HttpDeps } from "../providers/http.ts";
import type { ProviderSettings } from "../providers/settings.ts";
import { createSlackSignInAdapter } from "./slack.ts";

/** Sign-in adapters by provider: Slack, when its OAuth app is configured. */
export function createSignInAdapters(settings: ProviderSettings, deps: HttpDeps): LinkAdapters {
  return settings.slack ? { slack: createSlackSignInAdapter(settings.slack, deps) } : {};
}

/** The link adapters, each of those with a sign-in adapter also serving `signin`. A sign-in needs the link adapter (the organisation connects through it). */
export function withSignIn(link: LinkAdapters, signIn: LinkAdapters): LinkAdapters {
  const combined: LinkAdapters = { ...link };
  for (const provider of Object.keys(signIn) as ProviderId[]) {
    const linkAdapter = link[provider];
    const signInAdapter = signIn[provider];
    if (linkAdapter && signInAdapter) combined[provider] = routeSignIn(linkAdapter, signInAdapter);
  }
  return combined;
}

function routeSignIn(link: LinkAdapter, signIn: LinkAdapter): LinkAdapter {
  const serving = (flow: LinkFlow) => (flow.purpose === "signin" ? signIn : link);
  const adapter: LinkAdapter = {
    provider: link.provider,
    purposes: [...link.purposes.filter((purpose) => purpose !== "signin"), "signin"],
    authorizationUrl: (flow, params) => serving(flow).authorizationUrl(flow, params),
    complete: (flow, callback, params) => serving(flow).complete(flow, callback, params),
    refresh: (current) => link.refresh(current),
    revoke: (tokens) => link.revoke(tokens),
  };
  if (!readsProviderErrors(link)) return adapter;
  const reader: LinkAdapter & ProviderErrorReader = {
    ...adapter,
    refusalForProviderError: (flow, callback) => (flow.purpose === "signin" ? undefined : link.refusalForProviderError(flow, callback)),
  };
  return reader;
}

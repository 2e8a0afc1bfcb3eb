/**
 * Sign-in adapters by provider. The OAuth engine picks them for `signin`
 * flows (src/signin/sign-in.ts hands them over as the `signin` purpose);
 * refresh, revocation and the other purposes stay the link adapters'.
 */
import type { LinkAdapters } from "../oauth/provider-link.ts";
import type { HttpDeps } from "../providers/http.ts";
import type { ProviderSettings } from "../providers/settings.ts";
import { createSlackSignInAdapter } from "./slack.ts";

/** Sign-in adapters by provider: Slack, when its OAuth app is configured. */
export function createSignInAdapters(settings: ProviderSettings, deps: HttpDeps): LinkAdapters {
  return settings.slack ? { slack: createSlackSignInAdapter(settings.slack, deps) } : {};
}

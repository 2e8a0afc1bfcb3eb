/**
 * What stops working when an account or a connection goes, as feature keys.
 * The organisation keys are the ones the server lists after a disconnect
 * (packages/server/src/accounts/impact.ts); the element asks before the
 * action, so it words the same keys itself, in the viewer's language.
 */
import type { ProviderId } from "../shared/provider-id.ts";
import type { LostFeature } from "../shared/translation.ts";

/** Unlinking one person's account. */
export const accountImpact: Record<ProviderId, readonly LostFeature[]> = {
  slack: ["notifications", "sign_in_with_slack"],
  google: ["calendar_events", "free_busy"],
  microsoft: ["calendar_events", "free_busy"],
  zoom: ["meeting_urls"],
};

/** Disconnecting the organisation. */
export const connectionImpact: Record<ProviderId, readonly LostFeature[]> = {
  slack: ["notifications", "sign_in_with_slack", "personal_links"],
  google: ["calendar_events", "free_busy", "personal_links"],
  microsoft: ["calendar_events", "free_busy", "personal_links"],
  zoom: ["meeting_urls", "personal_links"],
};

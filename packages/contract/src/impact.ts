/**
 * What stops working when an account or an organisation connection goes, as
 * feature keys per provider. The server words the organisation list in its
 * disconnect answer (accounts/impact.ts); the element asks before the action
 * and words the same keys in the viewer's language.
 */
import type { ProviderId } from "./providers.ts";

export const lostFeatures = [
  "notifications",
  "sign_in_with_slack",
  "calendar_events",
  "free_busy",
  "meeting_urls",
  "personal_links",
] as const;
export type LostFeature = (typeof lostFeatures)[number];

/** Unlinking one person's account. */
export const accountImpact = {
  slack: ["notifications", "sign_in_with_slack"],
  google: ["calendar_events", "free_busy"],
  microsoft: ["calendar_events", "free_busy"],
  zoom: ["meeting_urls"],
} as const satisfies Record<ProviderId, readonly LostFeature[]>;

/** Disconnecting the organisation. */
export const connectionImpact = {
  slack: ["notifications", "sign_in_with_slack", "personal_links"],
  google: ["calendar_events", "free_busy", "personal_links"],
  microsoft: ["calendar_events", "free_busy", "personal_links"],
  zoom: ["meeting_urls", "personal_links"],
} as const satisfies Record<ProviderId, readonly LostFeature[]>;

/** One entry of a disconnect answer's `stopsWorking`. */
export interface LostFeatureEntry {
  feature: LostFeature;
  message: string;
}

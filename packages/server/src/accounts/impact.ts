/**
 * What stops working when an organisation connection goes, per provider: the
 * disconnect answer lists it. The feature keys are the contract's
 * (`@tsunagu/contract` `connectionImpact`), which the element words in its
 * confirmation before the action; here each key gets the server's message.
 * A key missing, extra or out of order for a provider fails the typecheck.
 */
import type { connectionImpact as impactKeys, LostFeatureEntry, ProviderId } from "@tsunagu/contract";

/** One entry of the disconnect answer's `stopsWorking`. */
export type LostFeature = LostFeatureEntry;

/** One entry per key of `Keys`, in its order. */
type Worded<Keys extends readonly LostFeatureEntry["feature"][]> = {
  readonly [I in keyof Keys]: { feature: Keys[I]; message: string };
};
type WordedImpact = { readonly [P in ProviderId]: Worded<(typeof impactKeys)[P]> };

export const connectionImpact: Record<ProviderId, LostFeature[]> = {
  slack: [
    {
      feature: "notifications",
      message: "Interview notifications by Slack direct message stop for everyone in the organisation.",
    },
    { feature: "sign_in_with_slack", message: "Sign in with Slack stops working." },
    { feature: "personal_links", message: "Nobody can link a Slack account until the workspace is connected again." },
  ],
  google: [
    { feature: "calendar_events", message: "Interviews are no longer added to Google Calendar." },
    { feature: "free_busy", message: "Free/busy times from Google Calendar are no longer read when scheduling." },
    {
      feature: "personal_links",
      message: "Nobody can link a Google account until Google Workspace is connected again.",
    },
  ],
  microsoft: [
    { feature: "calendar_events", message: "Interviews are no longer added to Outlook calendars." },
    { feature: "free_busy", message: "Free/busy times from Outlook are no longer read when scheduling." },
    {
      feature: "personal_links",
      message: "Nobody can link a Microsoft account until the Microsoft 365 tenant is connected again.",
    },
  ],
  zoom: [
    {
      feature: "meeting_urls",
      message: "New interviews get no Zoom meeting URL, and Zoom hosts are no longer picked.",
    },
    { feature: "personal_links", message: "Nobody can link a Zoom user until the Zoom account is connected again." },
  ],
} satisfies WordedImpact;

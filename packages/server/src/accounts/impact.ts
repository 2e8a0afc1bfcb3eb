/**
 * What stops working when an organisation connection goes, per provider: the
 * disconnect answer lists it, and the element words its confirmation from the
 * same feature keys.
 */
import type { ProviderId } from "../providers/errors.ts";

export interface LostFeature {
  feature: string;
  message: string;
}

export const connectionImpact: Record<ProviderId, LostFeature[]> = {
  slack: [
    { feature: "notifications", message: "Interview notifications by Slack direct message stop for everyone in the organisation." },
    { feature: "sign_in_with_slack", message: "Sign in with Slack stops working." },
    { feature: "personal_links", message: "Nobody can link a Slack account until the workspace is connected again." },
  ],
  google: [
    { feature: "calendar_events", message: "Interviews are no longer added to Google Calendar." },
    { feature: "free_busy", message: "Free/busy times from Google Calendar are no longer read when scheduling." },
    { feature: "personal_links", message: "Nobody can link a Google account until Google Workspace is connected again." },
  ],
  microsoft: [
    { feature: "calendar_events", message: "Interviews are no longer added to Outlook calendars." },
    { feature: "free_busy", message: "Free/busy times from Outlook are no longer read when scheduling." },
    { feature: "personal_links", message: "Nobody can link a Microsoft account until the Microsoft 365 tenant is connected again." },
  ],
  zoom: [
    { feature: "meeting_urls", message: "New interviews get no Zoom meeting URL, and Zoom hosts are no longer picked." },
    { feature: "personal_links", message: "Nobody can link a Zoom user until the Zoom account is connected again." },
  ],
};

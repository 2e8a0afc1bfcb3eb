/**
 * The account checks for the providers this server is configured for, built
 * on the same production clients as everything else (the sandbox is only
 * other endpoints in `ProviderSettings`).
 */
import type { HttpDeps } from "../../providers/http.ts";
import { createGoogleClient } from "../../providers/google.ts";
import { createMicrosoftClient } from "../../providers/microsoft.ts";
import type { ProviderSettings } from "../../providers/settings.ts";
import { createSlackClient } from "../../providers/slack.ts";
import { createZoomClient } from "../../providers/zoom.ts";
import type { AccountProbes } from "../probe.ts";
import type { HostedMeetings } from "../zoom-unlink-guard.ts";
import { googleProbe } from "./google.ts";
import { microsoftProbe } from "./microsoft.ts";
import { slackProbe } from "./slack.ts";
import { zoomHostedMeetings, zoomProbe } from "./zoom.ts";

export interface AccountChecks {
  probes: AccountProbes;
  /** Undefined when Zoom is not configured: the unlink guard then has nothing to ask. */
  zoomMeetings: HostedMeetings | undefined;
}

export function createAccountChecks(settings: ProviderSettings, http: HttpDeps): AccountChecks {
  const zoom = settings.zoom && createZoomClient(settings.zoom, http);
  return {
    probes: {
      ...(settings.google && { google: googleProbe(createGoogleClient(settings.google, http)) }),
      ...(settings.microsoft && { microsoft: microsoftProbe(createMicrosoftClient(settings.microsoft, http)) }),
      ...(zoom && { zoom: zoomProbe(zoom) }),
      ...(settings.slack && { slack: slackProbe(createSlackClient(settings.slack, http)) }),
    },
    zoomMeetings: zoom && zoomHostedMeetings(zoom),
  };
}

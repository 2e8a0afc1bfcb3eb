/**
 * The link adapters the server offers: one per provider whose OAuth app is
 * configured (by the environment, or by the sandbox). A provider without an
 * app is simply not offered.
 */
import type { HttpDeps } from "../../providers/http.ts";
import type { ProviderSettings } from "../../providers/settings.ts";
import type { LinkAdapters } from "../provider-link.ts";
import { createGoogleLinkAdapter } from "./google.ts";
import { createMicrosoftLinkAdapter } from "./microsoft.ts";
import { createSlackLinkAdapter } from "./slack.ts";
import { createZoomLinkAdapter } from "./zoom.ts";

export function createLinkAdapters(settings: ProviderSettings, deps: HttpDeps): LinkAdapters {
  return {
    ...(settings.google && { google: createGoogleLinkAdapter(settings.google, deps) }),
    ...(settings.microsoft && { microsoft: createMicrosoftLinkAdapter(settings.microsoft, deps) }),
    ...(settings.zoom && { zoom: createZoomLinkAdapter(settings.zoom, deps) }),
    ...(settings.slack && { slack: createSlackLinkAdapter(settings.slack, deps) }),
  };
}

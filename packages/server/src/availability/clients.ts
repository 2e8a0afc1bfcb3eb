/**
 * The free/busy call of each calendar provider this server is configured for,
 * on the same production clients as everything else (the sandbox differs
 * only in the endpoints of `ProviderSettings`).
 */
import type { HttpDeps } from "../providers/http.ts";
import { createGoogleClient } from "../providers/google.ts";
import { createMicrosoftClient } from "../providers/microsoft.ts";
import type { ProviderSettings } from "../providers/settings.ts";
import type { FreeBusyClients } from "./busy-times.ts";

export function freeBusyClients(settings: ProviderSettings, http: HttpDeps): FreeBusyClients {
  const google = settings.google && createGoogleClient(settings.google, http);
  const microsoft = settings.microsoft && createMicrosoftClient(settings.microsoft, http);
  return {
    ...(google && { google: (accessToken: string) => google.api(accessToken) }),
    ...(microsoft && { microsoft: (accessToken: string) => microsoft.api(accessToken) }),
  };
}

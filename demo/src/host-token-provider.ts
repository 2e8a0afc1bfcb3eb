/**
 * The portal page asks its own backend for a host token; the widgets call
 * this whenever they need a fresh one.
 */
import type { HostTokenProvider } from "@tsunagu/widgets";
import type { PortalLanguage } from "./users.ts";

export function portalTokenProvider(userId: string, locale: PortalLanguage): HostTokenProvider {
  return async () => {
    const query = new URLSearchParams({ user: userId, locale });
    const response = await fetch(`/portal-api/host-token?${query}`, { headers: { Accept: "application/json" } });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw new Error(portalErrorMessage(body) ?? `The portal answered ${response.status}.`);
    if (typeof body !== "object" || body === null || typeof (body as { token?: unknown }).token !== "string") {
      throw new Error("The portal answered without a token.");
    }
    return (body as { token: string }).token;
  };
}

function portalErrorMessage(body: unknown): string | undefined {
  const error = (body as { error?: { message?: unknown } } | undefined)?.error;
  return typeof error?.message === "string" ? error.message : undefined;
}

/** The four vendors Tsunagu connects to, as the server names them in its API. */
export type ProviderId = "google" | "microsoft" | "zoom" | "slack";

export const providerIds: readonly ProviderId[] = ["google", "microsoft", "zoom", "slack"];

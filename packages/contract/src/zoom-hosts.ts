/**
 * Zoom host picking (GET /v1/zoom/hosts): why a candidate cannot host, for
 * the element to word in each language. The first that applies is given.
 */
export const cannotHostReasons = ["needs_reauth", "basic_user_time_limit", "zoom_unavailable", "busy"] as const;
export type CannotHostReason = (typeof cannotHostReasons)[number];

/**
 * Where an account or an organisation connection stands, and why it stopped
 * working: the server writes these (accounts/reauth.ts, accounts/refresh.ts,
 * accounts/health-check.ts, accounts/unlink.ts, webhooks/inbound/*), the
 * element words them.
 */

export const linkStatuses = ["active", "needs_reauth", "revoked"] as const;
export type LinkStatus = (typeof linkStatuses)[number];

export const statusReasons = [
  /** The provider refused to refresh the grant. */
  "invalid_grant",
  /** The grant came without a refresh token, and the access token ran out. */
  "no_refresh_token",
  /** A health check: the provider refused a fresh access token. */
  "unauthorized",
  /** The organisation connection was removed, so its members' accounts wait for it. */
  "org_disconnected",
  /** Zoom: the app was removed from the Zoom user or account (`app_deauthorized` webhook). */
  "deauthorized",
  /** Slack: the tokens were revoked (`tokens_revoked` event). */
  "tokens_revoked",
  /** Slack: the app was removed from the workspace (`app_uninstalled` event). */
  "app_uninstalled",
] as const;
export type StatusReason = (typeof statusReasons)[number];

/**
 * Every error code the server answers, in groups. The server's error class
 * and refusal tables are typed by these unions, so a code the server emits
 * is a code listed here; the element's translation tables are typed by them
 * too, so a code listed here has a Japanese and an English message.
 */
import type { InterviewErrorCode } from "./interviews.ts";
import type { SchedulingLinkErrorCode } from "./scheduling-links.ts";

/** How an OAuth round trip can end without a link, whatever the provider (server: oauth/refusals.ts). */
export const flowRefusalCodes = [
  "flow_unknown",
  "flow_used",
  "flow_expired",
  "begin_not_from_portal",
  "begin_secret_invalid",
  "state_invalid",
  "state_expired",
  "state_replayed",
  "flow_browser_mismatch",
  "consent_denied",
  "provider_error",
  "org_connection_missing",
  // An organisation connection completed by someone the portal no longer calls an admin (also answered by the routes).
  "admin_required",
  "connection_exists",
  "account_already_linked",
  "internal_error",
] as const;
export type FlowRefusalCode = (typeof flowRefusalCodes)[number];

/** A provider's own guards at the end of a round trip (server: oauth/adapters/*.ts, signin/*.ts). */
export const providerRefusalCodes = [
  "code_missing",
  "code_invalid",
  "google_workspace_required",
  "google_wrong_domain",
  "google_calendar_permission_missing",
  "microsoft_admin_required",
  "microsoft_tenant_mismatch",
  "microsoft_wrong_tenant",
  "slack_wrong_workspace",
  "slack_guest_not_allowed",
  "slack_account_deactivated",
  "slack_reconnect_required",
  "slack_workspace_install_required",
  "zoom_admin_required",
  "zoom_preapproval_required",
  "zoom_foreign_account",
] as const;
export type ProviderRefusalCode = (typeof providerRefusalCodes)[number];

/** Sign in with a provider: refusals of its own (server: signin/*.ts). */
export const signInRefusalCodes = [
  "signin_disabled",
  "signin_email_mismatch",
  "signin_email_unverified",
  "signin_id_token_invalid",
] as const;
export type SignInRefusalCode = (typeof signInRefusalCodes)[number];

/** What a finished flow's `error.code` can be (`GET /v1/oauth/flows/:flow`, the popup's message). */
export type RefusalCode = FlowRefusalCode | ProviderRefusalCode | SignInRefusalCode;

/** The host token refused (401), or the caller not allowed (403) (server: auth/*.ts). */
export const hostTokenErrorCodes = [
  "token_missing",
  "token_malformed",
  "token_algorithm",
  "token_type",
  "token_expired",
  "token_audience",
  "token_not_yet_valid",
  "token_claims",
  "token_lifetime",
  "token_signature",
  "unknown_host",
  "host_keys_unavailable",
  "origin_not_allowed",
  "forbidden_role",
] as const;
export type HostTokenErrorCode = (typeof hostTokenErrorCodes)[number];

/** The accounts, connections and OAuth routes (server: routes/*.ts, accounts/*.ts, oauth/flows.ts). */
export const accountsErrorCodes = [
  "account_not_found",
  "account_not_active",
  "connection_not_found",
  "admin_required",
  "purpose_unsupported",
  "return_url_invalid",
  "provider_unavailable",
  "needs_reauth",
  "check_not_supported",
  "zoom_user_hosts_meetings",
] as const;
export type AccountsErrorCode = (typeof accountsErrorCodes)[number];

/**
 * Zoom hosts and holds (server: routes/zoom-hosts.ts, zoom-hosts/*.ts); a hold's reused Idempotency-Key answers
 * the interviews' `idempotency_key_reused`.
 */
export const zoomHostsErrorCodes = [
  "zoom_host_busy",
  "zoom_host_not_found",
  "zoom_host_unavailable",
  "zoom_host_unchanged",
  "zoom_hold_not_found",
  "zoom_hold_lapsed",
  "zoom_meeting_not_found",
  /**
   * A meeting made in Zoom (not an interview's) given another host by someone other than an admin or a portal user
   * who linked its host: it is its host's.
   */
  "zoom_meeting_not_yours",
] as const;
export type ZoomHostsErrorCode = (typeof zoomHostsErrorCodes)[number];

/** Any route: malformed requests and the server's own trouble (server: http/*.ts, app.ts). */
export const requestErrorCodes = [
  "invalid_request",
  "invalid_body",
  "payload_too_large",
  "not_found",
  "method_not_allowed",
  "database_unavailable",
  "server_busy",
  // A bare HTTP failure without a code of its own, named after its status (server: http/errors.ts).
  "bad_request",
  "unauthorized",
  "forbidden",
  "conflict",
  "unsupported_media_type",
  "unprocessable",
  "rate_limited",
  "error",
] as const;
export type RequestErrorCode = (typeof requestErrorCodes)[number];

/** Answers to the providers' webhook deliveries: never seen by a browser. */
export const webhookErrorCodes = ["webhook_not_configured", "webhook_signature", "webhook_malformed"] as const;
export type WebhookErrorCode = (typeof webhookErrorCodes)[number];

/** Every `error.code` a browser may read from the server. */
export type BrowserErrorCode =
  | RefusalCode
  | HostTokenErrorCode
  | AccountsErrorCode
  | ZoomHostsErrorCode
  | RequestErrorCode
  | InterviewErrorCode;

/** Message templates (server: templates/*.ts): answered to the portal's own calls. */
export const templateErrorCodes = [
  "template_unknown_tag",
  "template_value_missing",
  "template_malformed",
  "template_not_found",
] as const;
export type TemplateErrorCode = (typeof templateErrorCodes)[number];

/**
 * The portal's notices to its users (server: routes/notifications.ts, notices/*.ts); a reused Idempotency-Key
 * answers the interviews' `idempotency_key_reused`.
 */
export const noticeErrorCodes = [
  /** The user has no Slack account linked (or it must be linked again), so no Slack message can reach them. */
  "slack_not_linked",
  "notification_not_found",
] as const;
export type NoticeErrorCode = (typeof noticeErrorCodes)[number];

/** Every `error.code` the server answers. */
export type ErrorCode =
  | BrowserErrorCode
  | WebhookErrorCode
  | TemplateErrorCode
  | SchedulingLinkErrorCode
  | NoticeErrorCode;

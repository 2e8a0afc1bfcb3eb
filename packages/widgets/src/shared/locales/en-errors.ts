import type { ErrorMessages } from "../translation.ts";

/**
 * Error messages several codes share: the person reads what to do, which is the same for each of them; the code
 * itself reaches the portal in the `tsunagu-error` event and the request ID names the request in the server's logs.
 */
const portalTokenRefused = "This server does not accept the portal's host token. Tell your administrator.";
const linkRestart = "This sign-in link cannot be used. Start linking again from the integration settings.";
const pageNotRegistered = "This page's address is not registered for linking. Tell your administrator.";
const requestUnreadable = "The request could not be read. Reload the page and try again.";
const linkExpired = "This linking attempt expired before it was finished. Try again.";
const codeRefused = "The provider gave no usable authorisation code. Start linking again.";
const holdGone = "The hold on this Zoom user is gone. Choose the host again.";
const wrongServerUrl = "The server does not answer this request here. The server URL may be wrong.";

/**
 * The messages for error codes in English: a chunk of their own, loaded the first
 * time an element shows an error (see `LocalizeController.errorMessage`).
 */
export const enErrors: ErrorMessages = {
  network_error: "Could not reach the Tsunagu server. Check the network and try again.",
  timeout: "The Tsunagu server did not answer in time. Try again.",
  invalid_response: "The Tsunagu server sent an unexpected answer.",
  server_missing: "The Tsunagu server URL is not set (the server attribute).",
  token_missing: "No host token is set (token or tokenProvider).",
  token_unavailable: "Could not get a host token from the portal.",
  token_expired: "Your session has expired. Reload the page.",
  token_signature: portalTokenRefused,
  forbidden: "You are not allowed to do this.",
  rate_limited: "Too many requests. Wait a moment and try again.",
  internal_error: "Something went wrong on the server. Try again in a moment.",
  flow_unknown: linkRestart,
  flow_used: linkRestart,
  flow_expired: linkExpired,
  state_invalid: linkRestart,
  state_expired: linkExpired,
  state_replayed: "This sign-in was already completed. Start linking again if you want to link another account.",
  flow_browser_mismatch:
    "Linking must be finished in the browser that started it. Start linking again in this browser.",
  consent_denied:
    "Access was not allowed at the provider, so nothing was linked. Start again and choose Allow to link.",
  provider_error: "The provider could not complete the sign-in. Try again in a moment.",
  org_connection_missing:
    "Your organisation has not connected this service yet. Ask an administrator to connect it first.",
  connection_exists:
    "Your organisation is already connected to another workspace or account of this service. Disconnect it first.",
  account_already_linked: "This account is already linked.",
  code_missing: codeRefused,
  code_invalid: codeRefused,
  google_workspace_required:
    "This is a personal Google account. Sign in with your company Google Workspace account (the one with your work " +
    "email address) to link Google Calendar.",
  google_wrong_domain:
    "This Google account belongs to another domain than the Google Workspace your organisation connected. Sign in " +
    "with your account of that domain.",
  google_calendar_permission_missing:
    "Google did not give access to your calendar, so nothing was linked. Link again and, on Google's consent " +
    "screen, tick both calendar checkboxes (see and edit events, and see when you are busy).",
  microsoft_admin_required:
    "Connecting Microsoft 365 needs an administrator of your Microsoft 365 organisation (for example a Global " +
    "Administrator). Sign in with an administrator account, or ask your Microsoft 365 administrator to connect it.",
  microsoft_tenant_mismatch:
    "You signed in with an account of another Microsoft 365 organisation than the one you approved. Connect again " +
    "and sign in with your account of that organisation.",
  microsoft_wrong_tenant:
    "This account belongs to another Microsoft 365 organisation than the one your organisation connected. Sign in " +
    "with your work account.",
  slack_wrong_workspace:
    "You signed in to another Slack workspace than the one your organisation connected. Link again and choose your " +
    "organisation's workspace in the menu at the top right of Slack's sign-in page.",
  slack_guest_not_allowed:
    "Guest Slack accounts cannot be linked (interview details are sent by direct message). Link your full member " +
    "account, or ask a Slack workspace admin to make you a full member.",
  slack_account_deactivated:
    "This Slack account is deactivated in the workspace. Link an active account, or ask a Slack workspace admin to " +
    "reactivate it.",
  slack_reconnect_required:
    "Your organisation's Slack connection no longer works (the app was removed or its token revoked). Ask an " +
    "administrator to connect Slack again, then link your account.",
  slack_workspace_install_required:
    "Tsunagu installs into one Slack workspace, not a whole Enterprise Grid organisation. Start again and choose " +
    "your workspace on Slack's page.",
  zoom_admin_required:
    "Only an owner or admin of the Zoom account can connect Zoom for your organisation. If you are one, sign in to " +
    "Zoom as that user and connect again; otherwise ask your Zoom owner or admin.",
  zoom_preapproval_required:
    "Your Zoom account only allows apps its admin has pre-approved. Ask your Zoom admin to pre-approve Tsunagu, " +
    "then link again.",
  zoom_foreign_account:
    "This Zoom user belongs to another Zoom account than the one your organisation connected. Sign out of Zoom, " +
    ("sign in with your user of your organisation's Zoom account and link again; if you have none, ask your Zoom " +
      "admin to add you."),
  zoom_user_hosts_meetings:
    "This Zoom user hosts upcoming meetings, so it cannot be unlinked yet. Change their host in Zoom, or " +
    "reschedule the interviews with another Zoom user, then unlink.",
  zoom_host_busy:
    "This Zoom user already runs as many meetings at that time as Zoom allows. Choose another host or another time.",
  zoom_host_not_found: "This Zoom user is not linked in your organisation any more. Reload and choose another host.",
  zoom_host_unavailable:
    "This Zoom user cannot host this meeting (it must be linked again, or it is a Basic user and the meeting is " +
    "longer than 40 minutes). Choose another host.",
  zoom_host_unchanged: "This Zoom user already hosts the meeting.",
  zoom_hold_not_found: holdGone,
  zoom_hold_lapsed: holdGone,
  zoom_meeting_not_found:
    "This Zoom meeting was not found among the meetings of your organisation's linked Zoom users.",
  zoom_meeting_not_yours:
    "Only an administrator, or someone who linked this meeting's Zoom host themselves, can change its host.",
  account_not_found: "This account was not found; it may have been unlinked already.",
  account_not_active: "An account that needs linking again cannot be the default. Link it again first.",
  connection_not_found: "Your organisation is not connected to this service; it may have been disconnected already.",
  admin_required: "Only an administrator can change the organisation's connections.",
  origin_not_allowed: "This page's address is not registered with the Tsunagu server. Tell your administrator.",
  purpose_unsupported: "This service cannot be linked this way.",
  return_url_invalid: pageNotRegistered,
  begin_not_from_portal: linkRestart,
  begin_secret_invalid: linkRestart,
  signin_disabled: "Signing in with this service is turned off for your organisation. Sign in another way.",
  signin_email_mismatch:
    "The account you signed in with does not use the same email address as the account you are signing in to. Sign " +
    "in with the matching account, or sign in another way.",
  signin_email_unverified:
    "The service has not verified this account's email address, so it cannot prove who you are. Confirm the " +
    "address there, or sign in another way.",
  signin_id_token_invalid:
    "The service's answer could not be verified as belonging to this sign-in. Start signing in again.",
  token_malformed: portalTokenRefused,
  token_algorithm: portalTokenRefused,
  token_type: portalTokenRefused,
  token_audience: portalTokenRefused,
  token_not_yet_valid: "The portal's host token is not valid yet; a clock may be wrong. Reload the page in a moment.",
  token_claims: portalTokenRefused,
  token_lifetime: portalTokenRefused,
  unknown_host: portalTokenRefused,
  host_keys_unavailable: "The server could not fetch the portal's signing keys. Try again in a moment.",
  forbidden_role: "Your role in the portal does not allow this.",
  provider_unavailable: "This service is not available right now. Try again in a moment.",
  needs_reauth: "This account needs linking again before it can be used.",
  check_not_supported: "This service offers no way to check the connection.",
  invalid_request: requestUnreadable,
  invalid_body: requestUnreadable,
  payload_too_large: "The request is too large.",
  not_found: wrongServerUrl,
  method_not_allowed: wrongServerUrl,
  database_unavailable: "The server cannot reach its database right now. Try again in a few seconds.",
  server_busy: "The server is busy right now. Try again in a little while.",
  bad_request: requestUnreadable,
  unauthorized: "The server did not accept the request's credentials. Reload the page.",
  conflict: "This changed in the meantime. Reload the page and try again.",
  unsupported_media_type: requestUnreadable,
  unprocessable: requestUnreadable,
  error: "The request failed. Try again.",
  idempotency_in_flight: "The same booking is still being carried out. Wait a moment, then press Confirm again.",
  idempotency_key_reused: "The details changed since the last try. Reload the page and schedule it again.",
  calendar_account_missing:
    "No calendar to add it to. Link a Google Calendar or an Outlook calendar in the integration settings.",
  calendar_needs_reauth: "The calendar to add it to needs linking again. Link it again in the integration settings.",
  provider_failed: "The calendar or Zoom could not finish, so nothing was created or changed. Try again in a moment.",
  database_connection_lost:
    "The server could not reach its database part-way through, so nothing was created or changed. Try again.",
  interview_cancelled: "This interview was cancelled, so it can no longer be changed.",
  interview_busy: "Another change to this interview is under way. Reload the page, then try again.",
  interview_not_found: "This interview was not found. It was deleted, or it belongs to another organisation.",
  interviewer_unknown:
    "An interviewer has not used Tsunagu through the portal yet, so their address is unknown. Ask them to open the " +
    "portal once, then try again.",
  interview_drifted:
    "The calendar event or the Zoom meeting was changed outside Tsunagu, so nothing was changed. Reload the page " +
    "to see how it stands now.",
  start_url_forbidden: "Only someone who linked the host's Zoom user can start this meeting.",
};

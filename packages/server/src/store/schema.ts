/**
 * Table types for Kysely. Timestamps are ISO 8601 UTC strings on both
 * SQLite and PostgreSQL, so comparisons and ordering behave the same.
 * Each capability's migration adds its tables here.
 */
import type { LinkStatus, RefusalCode, StatusReason } from "@tsunagu/contract";
import type { ColumnType, Generated } from "kysely";

export interface HostsTable {
  id: string;
  created_at: string;
  updated_at: string;
}

export interface OrganisationsTable {
  host_id: string;
  org_id: string;
  created_at: string;
  /** ja | en: set by an admin, or the first admin token's locale; null until then (migration 0014). */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UsersTable {
  host_id: string;
  org_id: string;
  user_id: string;
  email: string;
  name: string | null;
  role: string;
  locale: string | null;
  time_zone: string | null;
  first_seen_at: string;
  last_seen_at: string;
  /** The `iat` of the host token the profile is from (seconds); null for rows written before migration 0016. */
  profile_issued_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  host_id: string;
  org_id: string;
  actor_user_id: string | null;
  action: string;
  target: string | null;
  /** JSON text; never contains secrets. */
  detail: string | null;
  created_at: string;
}

/** Every stored provider secret lives here, sealed by the vault. */
export interface CredentialsTable {
  id: string;
  host_id: string;
  org_id: string;
  provider: string;
  key_id: string;
  ciphertext: string;
  /** Bumped on every write: compare-and-swap for token refresh. */
  version: number;
  /** Microseconds since the epoch when the provider granted these tokens (the code exchange); orders grants of one
   * identity. */
  granted_at: number | string | null;
  created_at: string;
  updated_at: string;
}

export type FlowStatus = "created" | "started" | "done" | "failed";

/** One OAuth round trip, from `start` to the callback. Secrets are stored hashed or sealed. */
export interface OAuthFlowsTable {
  id: string;
  host_id: string;
  org_id: string;
  user_id: string;
  user_email: string;
  user_role: string;
  provider: string;
  /** org | personal | signin */
  purpose: string;
  /** The exact origin the outcome is posted to. */
  embed_origin: string;
  /** popup | redirect */
  return_mode: string;
  return_url: string | null;
  /** PKCE verifier, sealed by the vault. */
  code_verifier_key_id: string | null;
  code_verifier_sealed: string | null;
  /** SHA-256 of `state`. */
  state_hash: string | null;
  /** SHA-256 of the cookie that binds the flow to the browser that began it. */
  browser_hash: string | null;
  /** SHA-256 of the one-time secret begin must carry (migration 0007); null for flows from before it. */
  begin_hash: string | null;
  nonce: string | null;
  /** The adapter's step for flows with several stops at the provider (migration 0003); null at the first. */
  step: string | null;
  /** The starter's `locale` claim (ja | en), the language of the flow's pages (migration 0009); null when the token
   * named none. */
  locale: string | null;
  status: FlowStatus;
  error_code: RefusalCode | null;
  error_message: string | null;
  /** The account or connection the flow produced. */
  result_id: string | null;
  created_at: string;
  expires_at: string;
  started_at: string | null;
  /** Set by the first callback that presents this flow's state: the claim that makes state one-time. */
  callback_at: string | null;
  finished_at: string | null;
}

export type { LinkStatus };

/** An organisation connection: one per (host, org, provider). */
export interface ConnectionsTable {
  id: string;
  host_id: string;
  org_id: string;
  provider: string;
  /** Slack team id, Zoom account id, Microsoft tenant id, Workspace domain. */
  external_id: string;
  display_name: string;
  /** JSON text, never secrets. */
  detail: string | null;
  credential_id: string | null;
  status: LinkStatus;
  status_reason: StatusReason | null;
  connected_by: string;
  created_at: string;
  updated_at: string;
  /** The provider user whose grant `credential_id` holds (the admin who connected); null when unknown (migration 0004).
   * */
  grant_user_id: string | null;
}

/** A personal account: any number per (host, org, user, provider). */
export interface AccountsTable {
  id: string;
  host_id: string;
  org_id: string;
  user_id: string;
  provider: string;
  external_user_id: string;
  /** The team, account, tenant or domain the identity belongs to. */
  external_account_id: string;
  email: string | null;
  display_name: string;
  /** JSON text, never secrets. */
  detail: string | null;
  credential_id: string;
  status: LinkStatus;
  status_reason: StatusReason | null;
  /** 0 or 1. */
  is_default: number;
  created_at: string;
  updated_at: string;
}

/** Who is refreshing a credential right now (one refresher across all processes). */
export interface TokenRefreshLeasesTable {
  credential_id: string;
  holder: string;
  expires_at: string;
  failure: string | null;
}

export type OutboxStatus = "pending" | "delivered" | "failed" | "skipped";

/** Signed webhooks to the portals, written with the state change they report (migration 0004). */
export interface WebhookOutboxTable {
  /** Also the event id the portal sees. */
  id: string;
  host_id: string;
  org_id: string;
  type: string;
  /** The JSON body exactly as sent; never tokens. */
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
  /** Rows sent in the order written when they share it (an interviewer's notices about one interview); else null. */
  sequence_key: string | null;
  /** The row's place in its sequence. */
  sequence_no: number | null;
}

/** Provider webhook deliveries already handled, so a retry changes nothing twice. */
export interface WebhookReceiptsTable {
  provider: string;
  event_id: string;
  received_at: string;
}

/** Whether an organisation lets its people sign in to the portal with a provider (Sign in with Slack; migration 0005).
 * */
export interface SigninSettingsTable {
  host_id: string;
  org_id: string;
  provider: string;
  /** 0 or 1. */
  enabled: number;
  updated_by: string;
  updated_at: string;
}

/** The server's own signing keys (sign-in assertions): the public JWK in clear, the private one sealed by the vault
 * (migration 0005). */
export interface ServerKeysTable {
  kid: string;
  /** One key per generation; the highest one not retired signs. */
  generation: number;
  alg: string;
  /** JSON text of the public JWK, as /.well-known/jwks.json publishes it. */
  public_jwk: string;
  /** The vault key that sealed the private JWK. */
  private_key_id: string;
  private_jwk_sealed: string;
  created_at: string;
  retired_at: string | null;
}

/** Per-organisation message templates with tags (migration 0011). */
export interface MessageTemplatesTable {
  host_id: string;
  org_id: string;
  /** The portal's name for it, e.g. `interview_confirmed`. */
  key: string;
  language: "ja" | "en";
  /** What recruiters see, e.g. 日程確定メール. */
  name: string;
  subject: string | null;
  body: string;
  updated_by: string;
  updated_at: string;
}

/** Working hours of an organisation (`user_id` '') or one of its people (migration 0010). */
export interface WorkingHoursTable {
  host_id: string;
  org_id: string;
  user_id: string;
  /** Comma list of weekday names: "mon,tue,wed,thu,fri". */
  days: string;
  start_time: string;
  end_time: string;
  time_zone: string | null;
  updated_by: string;
  updated_at: string;
}

/** A Zoom user kept for a half-open interval (migration 0008); lapses at `expires_at` unless a meeting confirmed it. */
export interface ZoomHoldsTable {
  id: string;
  host_id: string;
  org_id: string;
  zoom_user_id: string;
  starts_at: string;
  ends_at: string;
  expires_at: string | null;
  meeting_id: string | null;
  created_by: string;
  created_at: string;
}

/** An organisation's Zoom plan and per-Zoom-user limits, set by an admin (migration 0008). */
export interface ZoomHostSettingsTable {
  host_id: string;
  org_id: string;
  plan: string | null;
  /** JSON text: {zoomUserId: limit}. */
  limits: string;
  updated_by: string;
  updated_at: string;
}

/** Days off: an organisation's holiday rule and closures (`user_id` ''), a person's own days (migration 0010). */
export interface DaysOffTable {
  host_id: string;
  org_id: string;
  user_id: string;
  /** 1 or 0 as an admin set it, null until then; organisation rows only. */
  japanese_holidays: number | null;
  /** JSON list of {start, end, name} dates, both ends included. */
  closures: string;
  updated_by: string;
  updated_at: string;
}

/** One interview and its saga's progress (migration 0012). JSON columns are text. */
export interface InterviewsTable {
  id: string;
  host_id: string;
  org_id: string;
  organiser_user_id: string;
  status: string;
  /** The provider call under way (or about to be), null once settled. */
  step: string | null;
  title: string;
  description: string | null;
  starts_at: string;
  ends_at: string;
  time_zone: string;
  /** JSON: InterviewPerson[]. */
  interviewers: string;
  /** JSON: InterviewCandidate. */
  candidate: string;
  conference: string | null;
  calendar_provider: string;
  calendar_account_id: string;
  /** Google: chosen before the call; Outlook: known once created (`pending` holds its transactionId before). */
  event_id: string | null;
  event_web_link: string | null;
  /** 1 once the provider confirmed the event exists. */
  event_created: Generated<number>;
  /** The Meet or Teams join URL. */
  join_url: string | null;
  zoom_host_user_id: string | null;
  zoom_hold_id: string | null;
  zoom_meeting_id: string | null;
  zoom_join_url: string | null;
  zoom_passcode: string | null;
  /** JSON: the change being carried out (and what to put back), or the booking's Outlook transactionId. */
  pending: string | null;
  /** JSON: InterviewDrift[]. */
  drift: Generated<string>;
  /** JSON: {code, message}. */
  failure: string | null;
  lease_holder: string | null;
  lease_expires_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A booking's Idempotency-Key, unique per (host, org, user, key) (migration 0012). */
export interface InterviewIdempotencyKeysTable {
  host_id: string;
  org_id: string;
  user_id: string;
  key: string;
  request_hash: string;
  interview_id: string;
  /** The first answer, once the booking settled. */
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

/** An organisation's interview settings, set by an admin (migration 0012). */
export interface InterviewSettingsTable {
  host_id: string;
  org_id: string;
  /** 0 or 1: candidates wait in Zoom's waiting room until admitted. */
  waiting_room: number;
  updated_by: string;
  updated_at: string;
}

/** A candidate scheduling link (migration 0013): the offer and the candidate's pick. */
export interface SchedulingLinksTable {
  id: string;
  host_id: string;
  org_id: string;
  /** The recruiter who offered it: the booking's organiser. */
  created_by: string;
  /** SHA-256 (hex) of the secret in the link's URL; the secret itself is never stored. */
  secret_hash: string;
  /** JSON text: what the booking is made of (title, slots, candidate, conference, the organiser's zone). */
  offer: string;
  /** JSON text: the interviewers' portal user ids, also read to find other links' picks that share one. */
  interviewers: string;
  first_start: string;
  last_end: string;
  expires_at: string;
  revoked_at: string | null;
  /** The slot being booked (its start), while the candidate's pick is carried out. */
  claimed_start: string | null;
  claimed_at: string | null;
  /** Picks whose booking failed and was undone; part of the next try's idempotency key. */
  failed_picks: Generated<number>;
  interview_id: string | null;
  /** JSON text: the interview as booked. */
  interview: string | null;
  booked_at: string | null;
  created_at: string;
  /** Since when the candidate's page finds an interviewer's calendar unreadable (migration 0018); null otherwise. */
  blocked_since: string | null;
  /** JSON text: the interviewers (portal user ids) whose calendars it could not read. */
  blocked_interviewers: string | null;
}

export interface Database {
  hosts: HostsTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  audit_log: AuditLogTable;
  credentials: CredentialsTable;
  oauth_flows: OAuthFlowsTable;
  connections: ConnectionsTable;
  accounts: AccountsTable;
  token_refresh_leases: TokenRefreshLeasesTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_receipts: WebhookReceiptsTable;
  signin_settings: SigninSettingsTable;
  server_keys: ServerKeysTable;
  message_templates: MessageTemplatesTable;
  zoom_holds: ZoomHoldsTable;
  zoom_host_settings: ZoomHostSettingsTable;
  working_hours: WorkingHoursTable;
  days_off: DaysOffTable;
  interviews: InterviewsTable;
  interview_idempotency_keys: InterviewIdempotencyKeysTable;
  interview_settings: InterviewSettingsTable;
  scheduling_links: SchedulingLinksTable;
}

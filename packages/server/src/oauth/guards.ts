/**
 * The providers' guards as pure decisions: what the provider said about the
 * person in, a verdict (or undefined: let them through) out. No I/O here:
 * the adapters fetch (code exchange, Slack's member record with the bot
 * token) and then ask. Linking (src/oauth/adapters) and sign-in
 * (src/signin) ask the same functions, so "a Slack guest" means one thing in
 * both; each words the verdict in its own message table, keyed by the same
 * codes with the same arguments (`Verdict` carries them).
 */
import type { MicrosoftIdentity } from "../providers/microsoft.ts";
import type { SlackIdentity, SlackMember } from "../providers/slack.ts";
import type { ConnectionView } from "./provider-link.ts";

/** Each refusal a guard can decide, with what its message names. */
export interface GuardFindings {
  slack_wrong_workspace: [signedInTo: string, connected: string];
  slack_reconnect_required: [workspace: string];
  slack_account_deactivated: [workspace: string];
  slack_guest_not_allowed: [kind: "multi-channel" | "single-channel", workspace: string];
  google_workspace_required: [];
  google_wrong_domain: [domain: string, connected: string];
  google_calendar_permission_missing: [];
  microsoft_tenant_mismatch: [];
  microsoft_admin_required: [];
  microsoft_wrong_tenant: [account: string, connected: string];
  zoom_foreign_account: [account: string, connected: string];
}

export type GuardCode = keyof GuardFindings;
export type Verdict<C extends GuardCode = GuardCode> = { [K in C]: { code: K; args: GuardFindings[K] } }[C];
/** Messages for some verdicts, one function per code taking the verdict's arguments. */
export type VerdictMessages<C extends GuardCode> = { [K in C]: (...args: GuardFindings[K]) => string };

/** The verdict worded by a message table: a refusal code and the message for the person. */
export function wordVerdict<C extends GuardCode>(
  messages: VerdictMessages<C>,
  verdict: Verdict<C>,
): { code: C; message: string } {
  const message = (messages[verdict.code] as (...args: GuardFindings[C]) => string)(
    ...(verdict.args as GuardFindings[C]),
  );
  return { code: verdict.code, message };
}

function verdict<K extends GuardCode>(code: K, ...args: GuardFindings[K]): Verdict<K> {
  return { code, args } as Verdict<K>;
}

/** Slack: the person signed in to the workspace the organisation connected. */
export function slackWorkspaceVerdict(
  identity: Pick<SlackIdentity, "teamId" | "teamName" | "teamDomain">,
  connection: ConnectionView,
): Verdict<"slack_wrong_workspace"> | undefined {
  if (identity.teamId === connection.externalId) return undefined;
  return verdict(
    "slack_wrong_workspace",
    identity.teamName ?? identity.teamDomain ?? identity.teamId,
    connection.displayName,
  );
}

/**
 * Slack: the member, read with the workspace's bot token ("reconnect" when
 * that token is gone), is active and a full member. Single-channel guests may
 * carry is_restricted too: ultra-restricted is checked first.
 */
export function slackMemberVerdict(
  member: Pick<SlackMember, "deleted" | "isRestricted" | "isUltraRestricted"> | "reconnect",
  workspace: string,
): Verdict<"slack_reconnect_required" | "slack_account_deactivated" | "slack_guest_not_allowed"> | undefined {
  if (member === "reconnect") return verdict("slack_reconnect_required", workspace);
  if (member.deleted) return verdict("slack_account_deactivated", workspace);
  if (member.isUltraRestricted) return verdict("slack_guest_not_allowed", "single-channel", workspace);
  if (member.isRestricted) return verdict("slack_guest_not_allowed", "multi-channel", workspace);
  return undefined;
}

/** Google: an account of a Workspace domain (the id_token's `hd`, "" when absent), never a personal Gmail account. */
export function googleWorkspaceVerdict(domain: string): Verdict<"google_workspace_required"> | undefined {
  return domain === "" ? verdict("google_workspace_required") : undefined;
}

/** Google, personal link: the connected domain, with the calendar permissions granted. */
export function googlePersonalVerdict(
  domain: string,
  calendarGranted: boolean,
  connection: ConnectionView,
): Verdict<"google_wrong_domain" | "google_calendar_permission_missing"> | undefined {
  const connectedDomain = connection.externalId.toLowerCase();
  if (domain !== connectedDomain) return verdict("google_wrong_domain", domain, connectedDomain);
  if (!calendarGranted) return verdict("google_calendar_permission_missing");
  return undefined;
}

/** Microsoft, organisation connection: the admin signed in to the tenant they consented for, and may consent for it. */
export function microsoftOrgVerdict(
  identity: Pick<MicrosoftIdentity, "tenantId" | "directoryRoleIds">,
  consentedTenantId: string,
  adminConsentRoleIds: readonly string[],
): Verdict<"microsoft_tenant_mismatch" | "microsoft_admin_required"> | undefined {
  if (identity.tenantId.toLowerCase() !== consentedTenantId) return verdict("microsoft_tenant_mismatch");
  if (!identity.directoryRoleIds.some((id) => adminConsentRoleIds.includes(id)))
    return verdict("microsoft_admin_required");
  return undefined;
}

/** Microsoft, personal link: a work account of the connected tenant. */
export function microsoftPersonalVerdict(
  identity: Pick<MicrosoftIdentity, "tenantId" | "username" | "email">,
  connection: ConnectionView,
): Verdict<"microsoft_wrong_tenant"> | undefined {
  if (identity.tenantId.toLowerCase() === connection.externalId.toLowerCase()) return undefined;
  return verdict(
    "microsoft_wrong_tenant",
    identity.username ?? identity.email ?? "This Microsoft account",
    connection.displayName,
  );
}

/** Zoom, personal link: a user of the connected Zoom account (`account_id`). */
export function zoomPersonalVerdict(
  me: { accountId: string; email: string },
  connection: ConnectionView,
): Verdict<"zoom_foreign_account"> | undefined {
  return me.accountId === connection.externalId
    ? undefined
    : verdict("zoom_foreign_account", me.email, connection.displayName);
}

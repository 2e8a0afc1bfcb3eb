/**
 * Gathering busy time (issue 11, item 1): every Google and Outlook calendar
 * account each person linked is asked at once, in parallel, so the whole
 * answer costs one provider round trip of latency however many people and
 * accounts. Within an account the provider clients batch to the provider's
 * limits themselves (Google freeBusy: ≤ 50 calendars, ≤ 90 days a call,
 * providers/google/freebusy.ts; Graph getSchedule: ≤ 20 schedules and the
 * documented window a call, providers/microsoft/quirks.ts), those calls in
 * parallel too.
 *
 * Nothing unreadable passes for free: an account that needs linking again,
 * a provider that fails (after the one retry policy, providers/http.ts), or a
 * calendar the provider answers with an error comes back `unreadable` with
 * the reason. Tokens come from the refresher (accounts/authorized-call.ts).
 */
import { callWithFreshToken, type AuthorizedCallDeps } from "../accounts/authorized-call.ts";
import { ReauthRequiredError, TokenRefreshError, type TokenOwner } from "../accounts/refresh.ts";
import type { AccountRow } from "../accounts/store.ts";
import { type StoredTokens, tokensOf } from "../accounts/tokens.ts";
import type { Logger } from "../log.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import { ProviderError } from "../providers/errors.ts";
import type { CalendarProvider, TimeRange } from "../providers/types.ts";
import { sealContextOf } from "../store/credentials.ts";
import type { OrgScope } from "../store/tenancy.ts";
import type { Vault } from "../vault/vault.ts";
import type { Interval } from "./intervals.ts";
import { type CalendarAccountRow, type CalendarProviderId, listCalendarAccountsWithCredentials } from "./store.ts";

/** The free/busy call of each calendar provider the server is configured for, made with one account's token. */
export type FreeBusyClients = Partial<
  Record<CalendarProviderId, (accessToken: string) => Pick<CalendarProvider, "freeBusy">>
>;

export interface BusyTimesDeps extends AuthorizedCallDeps {
  /** Opens the credentials read with the accounts. */
  vault: Vault;
  logger: Logger;
  adapters: LinkAdapters;
  clients: FreeBusyClients;
}

/**
 * Why a calendar could not be read: the account must be linked again
 * (`needs_reauth`) or was revoked (`revoked`); the provider could not answer
 * (`provider_unavailable`); it answered with an error for this calendar
 * (`calendar_error`, the provider's words in `detail`); or this server has no
 * app for the provider (`provider_not_configured`).
 */
export type UnreadableReason =
  | "needs_reauth"
  | "revoked"
  | "provider_unavailable"
  | "calendar_error"
  | "provider_not_configured";

export type CalendarReading = {
  accountId: string;
  provider: CalendarProviderId;
  email: string | null;
} & ({ status: "read"; busy: Interval[] } | { status: "unreadable"; reason: UnreadableReason; detail: string });

/**
 * Which calendar of an account we ask about: Google's freeBusy names the
 * signed-in user's own calendar `primary`; getSchedule takes SMTP addresses,
 * so an Outlook account is asked about its own address.
 * https://developers.google.com/workspace/calendar/api/v3/reference/freebusy/query
 * https://learn.microsoft.com/graph/api/calendar-getschedule
 */
const ownCalendar: Record<CalendarProviderId, (account: AccountRow) => string | null> = {
  google: () => "primary",
  microsoft: (account) => account.email,
};

/** Each person's calendar accounts as read over `range` (no entry: no calendar account at all). */
export async function readBusyTimes(
  deps: BusyTimesDeps,
  tenant: OrgScope,
  userIds: string[],
  range: TimeRange,
  timeZone: string,
): Promise<Map<string, CalendarReading[]>> {
  const accounts = await listCalendarAccountsWithCredentials(deps.db, tenant, userIds);
  const readings = await Promise.all(accounts.map((account) => readAccount(deps, tenant, account, range, timeZone)));
  const byPerson = new Map<string, CalendarReading[]>();
  accounts.forEach((account, index) => {
    const list = byPerson.get(account.user_id) ?? [];
    list.push(readings[index] as CalendarReading);
    byPerson.set(account.user_id, list);
  });
  return byPerson;
}

/**
 * The tokens read with the (active) account, opened; undefined when there are none or they do not open, and the
 * refresher reads them again as it always does (and fails as it always does).
 */
function openedTokens(vault: Vault, account: CalendarAccountRow): StoredTokens | undefined {
  if (!account.credential) return undefined;
  const { provider, ciphertext, version } = account.credential;
  try {
    const context = sealContextOf({
      id: account.credential_id,
      host_id: account.host_id,
      org_id: account.org_id,
      provider,
    });
    return tokensOf(account.credential_id, JSON.parse(vault.open(ciphertext, context)), version);
  } catch {
    return undefined;
  }
}

async function readAccount(
  deps: BusyTimesDeps,
  tenant: OrgScope,
  account: CalendarAccountRow,
  range: TimeRange,
  timeZone: string,
): Promise<CalendarReading> {
  const provider = account.provider as CalendarProviderId;
  const base = { accountId: account.id, provider, email: account.email };
  const unreadable = (reason: UnreadableReason, detail: string): CalendarReading => ({
    ...base,
    status: "unreadable",
    reason,
    detail,
  });
  if (account.status !== "active")
    return unreadable(
      account.status === "revoked" ? "revoked" : "needs_reauth",
      account.status_reason ?? account.status,
    );
  const client = deps.clients[provider];
  const adapter = deps.adapters[provider];
  if (!client || !adapter) return unreadable("provider_not_configured", `${provider} is not configured on this server`);
  const calendarId = ownCalendar[provider](account);
  if (!calendarId) return unreadable("calendar_error", "the account has no mailbox address to ask about");

  const owner: TokenOwner = {
    kind: "account",
    id: account.id,
    hostId: tenant.hostId,
    orgId: tenant.orgId,
    provider,
    credentialId: account.credential_id,
  };
  try {
    const [answer] = await callWithFreshToken(
      deps,
      owner,
      adapter,
      (accessToken) => client(accessToken).freeBusy([calendarId], range, timeZone),
      openedTokens(deps.vault, account),
    );
    if (!answer) return unreadable("calendar_error", "the provider's answer left this calendar out");
    if (answer.error !== undefined) return unreadable("calendar_error", answer.error);
    return {
      ...base,
      status: "read",
      busy: answer.busy,
    };
  } catch (error) {
    if (error instanceof ReauthRequiredError) return unreadable("needs_reauth", error.reason);
    if (error instanceof TokenRefreshError || error instanceof ProviderError) {
      deps.logger.warn("calendar could not be read for availability", {
        provider,
        accountId: account.id,
        code: error.code,
      });
      return unreadable("provider_unavailable", `${provider} did not answer (${error.code})`);
    }
    throw error;
  }
}

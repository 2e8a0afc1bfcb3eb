/**
 * Sends the outbox's Slack notices (./slack-queue.ts) as the organisation's
 * Slack app: the workspace connection's bot token (fresh, through the one
 * refresher: accounts/authorized-call.ts), conversations.open with the
 * person's Slack user id, then chat.postMessage into that DM.
 *
 * What cannot work until a person acts is final and recorded on the row
 * (`failed`, with the reason in `last_error`): the person's Slack link gone or
 * needing renewal, the workspace disconnected or its bot token revoked, a
 * member Slack no longer knows. A rate limit, a Slack outage, a network
 * failure or a refresh that could not finish is tried again with the
 * worker's backoff (not before a rate limit's Retry-After). Nothing here throws for a Slack answer, so one bad
 * notice never stops the worker.
 */
import { callWithFreshToken, type AuthorizedCallDeps } from "../accounts/authorized-call.ts";
import { ReauthRequiredError, type TokenOwner, TokenRefreshError } from "../accounts/refresh.ts";
import { findConnection } from "../accounts/store.ts";
import type { Logger } from "../log.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import { InvalidGrantError, ProviderError } from "../providers/errors.ts";
import type { SlackClient } from "../providers/slack.ts";
import type { OutboxRow, OutboxSender, SendOutcome } from "../webhooks/delivery.ts";
import { type SlackNoticePayload, slackNoticeType } from "./slack-queue.ts";

export interface SlackNoticeSenderDeps extends AuthorizedCallDeps {
  logger: Logger;
  adapters: LinkAdapters;
  /** Absent when Slack is not configured on this server: its notices then fail, saying so. */
  slack: SlackClient | undefined;
}

/** Slack answers (in a 200's `error`) that another attempt can cure. */
const transientSlackCodes = new Set(["ratelimited", "fatal_error", "internal_error", "service_unavailable"]);

export function createSlackNoticeSender(deps: SlackNoticeSenderDeps): OutboxSender {
  const { db, logger } = deps;

  async function send(row: OutboxRow): Promise<SendOutcome> {
    const notice = JSON.parse(row.payload) as SlackNoticePayload;
    const tenant = { hostId: row.host_id, orgId: row.org_id };
    const account = await db
      .selectFrom("accounts")
      .select(["id", "status", "external_user_id", "external_account_id"])
      .where("id", "=", notice.accountId)
      .where("host_id", "=", tenant.hostId)
      .where("org_id", "=", tenant.orgId)
      .where("user_id", "=", notice.userId)
      .where("provider", "=", "slack")
      .executeTakeFirst();
    if (!account || account.status === "revoked") return { status: "failed", error: "slack_not_linked" };
    if (account.status === "needs_reauth") return { status: "failed", error: "slack_account_needs_reauth" };
    const adapter = deps.adapters.slack;
    if (!deps.slack || !adapter) return { status: "failed", error: "slack_not_configured" };
    const connection = await findConnection(db, tenant, "slack");
    if (!connection?.credential_id || connection.status !== "active")
      return { status: "failed", error: "slack_reconnect_required" };
    // The person linked another workspace than the one the organisation connects now: the bot cannot reach them.
    if (connection.external_id !== account.external_account_id)
      return { status: "failed", error: "slack_wrong_workspace" };

    const owner: TokenOwner = {
      kind: "connection",
      id: connection.id,
      hostId: tenant.hostId,
      orgId: tenant.orgId,
      provider: "slack",
      credentialId: connection.credential_id,
    };
    const slack = deps.slack;
    try {
      await callWithFreshToken(deps, owner, adapter, async (accessToken) => {
        const api = slack.api(accessToken);
        const { channelId } = await api.openDirectMessage(account.external_user_id);
        await api.postMessage(channelId, notice.text);
      });
      return { status: "delivered" };
    } catch (error) {
      return failureOf(error, row);
    }
  }

  function failureOf(error: unknown, row: OutboxRow): SendOutcome {
    if (error instanceof ReauthRequiredError || error instanceof InvalidGrantError)
      return { status: "failed", error: "slack_reconnect_required" };
    if (error instanceof TokenRefreshError) return { status: "retry", error: `token_refresh ${error.code}` };
    if (error instanceof ProviderError) {
      if (error.status === 0 || error.status >= 500 || transientSlackCodes.has(error.code))
        return { status: "retry", error: `slack ${error.code}`, retryAfterMs: error.retryAfterMs };
      // errorCode, as operators have read it here (a field named `code` would be written too: log.ts).
      logger.warn("slack notice refused by Slack", { event: row.id, host: row.host_id, errorCode: error.code });
      return { status: "failed", error: `slack ${error.code}` };
    }
    throw error;
  }

  return { types: [slackNoticeType], send };
}

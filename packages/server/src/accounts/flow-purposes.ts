/**
 * What the OAuth engine (src/oauth/flows.ts) needs of accounts, behind the
 * ports the engine declares (src/oauth/flow-ports.ts): the organisation
 * connection a completing flow checks against, with its tokens refreshed by
 * the server's one TokenRefresher; the lease that serialises completions of
 * one provider user; and the end of `org` and `personal` flows, which store
 * the link (src/accounts/linking.ts).
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { CompletionLock, ConnectionAccess, FlowPurpose, FlowResult } from "../oauth/flow-ports.ts";
import type { LinkAdapter, LinkAdapters, LinkFlow } from "../oauth/provider-link.ts";
import { refusal } from "../oauth/refusals.ts";
import type { TokenSet } from "../providers/types.ts";
import type { DB } from "../store/database.ts";
import type { Vault } from "../vault/vault.ts";
import { type LinkResult, mayRevokeUnsaved, saveOrgOutcome, savePersonalOutcome } from "./linking.ts";
import { ReauthRequiredError, type TokenRefresher } from "./refresh.ts";
import { defaultLeaseMs, withLease } from "./refresh-lease.ts";
import { type ConnectionRow, findConnection, parseDetail } from "./store.ts";

export interface FlowSupportDeps {
  db: DB;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  /** The server's one refresher: connection tokens refresh under the same lease as every other caller's. */
  refresher: TokenRefresher;
  /** The link adapters: they serve `org` and `personal`, and refresh connection tokens. */
  adapters: LinkAdapters;
}

/** Completions an adapter serialises (Zoom): each waits this long at most for the one before it. */
const completionLease = { ttlMs: defaultLeaseMs, maxWaitMs: 30_000, pollMs: 20 };

export function createConnectionAccess(deps: Pick<FlowSupportDeps, "db" | "refresher" | "adapters">): ConnectionAccess {
  return {
    async find(scope, provider) {
      const connection = await findConnection(deps.db, scope, provider);
      if (!connection) return undefined;
      const view = {
        externalId: connection.external_id,
        displayName: connection.display_name,
        detail: parseDetail(connection.detail),
      };
      return { view, tokens: () => connectionTokens(deps, connection) };
    },
  };
}

/** The connection's tokens, refreshed when due by its link adapter; undefined when it holds none or needs linking
 * again. */
async function connectionTokens(
  deps: Pick<FlowSupportDeps, "refresher" | "adapters">,
  connection: ConnectionRow,
): Promise<TokenSet | undefined> {
  const adapter = deps.adapters[connection.provider as LinkAdapter["provider"]];
  if (!adapter || !connection.credential_id || connection.status !== "active") return undefined;
  const owner = {
    kind: "connection" as const,
    id: connection.id,
    provider: adapter.provider,
    credentialId: connection.credential_id,
    hostId: connection.host_id,
    orgId: connection.org_id,
  };
  try {
    return await deps.refresher.getFreshAccessToken(owner, (current) => adapter.refresh(current));
  } catch (error) {
    if (error instanceof ReauthRequiredError) return undefined;
    throw error;
  }
}

export function createCompletionLock(deps: Pick<FlowSupportDeps, "db" | "clock" | "logger">): CompletionLock {
  return (key, complete) => withLease(deps, key, completionLease, complete);
}

/** `org` and `personal` flows end with the link stored; tokens nothing keeps are revoked. */
export function createLinkPurpose(deps: Omit<FlowSupportDeps, "refresher">): FlowPurpose {
  const { db, vault, clock, logger } = deps;
  const linkContext = { db, vault, clock };

  async function revokeQuietly(adapter: LinkAdapter, tokens: TokenSet, flow: LinkFlow): Promise<void> {
    try {
      await adapter.revoke(tokens);
    } catch (error) {
      logger.warn("could not revoke tokens of a refused link", { provider: flow.provider, flow: flow.id, error });
    }
  }

  return {
    adapters: deps.adapters,
    // Who may link is the engine's and the adapter's to say; linking has no switch of its own.
    assertMayStart: async () => undefined,
    async finish(flow, outcome, adapter): Promise<FlowResult> {
      const target = {
        scope: { hostId: flow.hostId, orgId: flow.orgId, userId: flow.userId },
        provider: adapter.provider,
      };
      let saved: LinkResult;
      try {
        saved =
          outcome.kind === "org"
            ? await saveOrgOutcome(linkContext, target, outcome)
            : await savePersonalOutcome(linkContext, target, outcome);
      } catch (error) {
        logger.error("storing a completed link failed", {
          provider: flow.provider,
          flow: flow.id,
          error,
          stack: error instanceof Error ? error.stack : undefined,
        });
        const issued = outcome.kind === "org" ? outcome.grant?.tokens : outcome.tokens;
        // Never a grant that a stored row of this identity may now use (Google revokes per user and app).
        if (issued && (await mayRevokeUnsaved(linkContext, target, outcome)))
          await revokeQuietly(adapter, issued, flow);
        return { ok: false, refusal: refusal("internal_error") };
      }
      if (!saved.ok) {
        if (saved.discardedTokens) await revokeQuietly(adapter, saved.discardedTokens, flow);
        return { ok: false, refusal: saved.refusal };
      }
      return { ok: true, status: "linked", accountId: saved.accountId, connectionId: saved.connectionId };
    },
  };
}

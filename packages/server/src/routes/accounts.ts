/**
 * The caller's organisation connections and personal accounts (mounted under
 * /v1, after tokenAuth). Every query is scoped by the caller's (host, org) and,
 * for personal accounts, user: another tenant's ids read as not found.
 *
 * GET    /accounts               connections of the org (everyone sees them) + the caller's own accounts
 * POST   /accounts/:id/default   makes one of the caller's accounts the default for its provider
 * DELETE /accounts/:id           unlinks one of the caller's accounts (revokes at the provider where possible)
 * DELETE /connections/:provider  admin: disconnects the organisation, lists what stops working and whom it affects
 */
import { Hono } from "hono";
import { requireRole } from "../auth/middleware.ts";
import { conflict, notFound } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { findOwnAccount, listConnections, listOwnAccounts, setDefaultAccount } from "../accounts/store.ts";
import { disconnectConnection, type UnlinkDeps, unlinkAccount } from "../accounts/unlink.ts";
import { accountView, connectionView } from "../accounts/views.ts";
import { orgScopeOf, userScopeOf } from "../store/tenancy.ts";

export type AccountRoutesDeps = UnlinkDeps;

export function accountRoutes(deps: AccountRoutesDeps) {
  const { db, clock } = deps;
  const providers = Object.values(deps.adapters).map((adapter) => ({
    provider: adapter.provider,
    purposes: [...adapter.purposes],
  }));

  return new Hono<AppEnv>()
    .get("/accounts", async (c) => {
      const caller = c.get("caller");
      const [connections, accounts] = await Promise.all([
        listConnections(db, orgScopeOf(caller)),
        listOwnAccounts(db, userScopeOf(caller)),
      ]);
      return c.json({
        providers,
        connections: connections.map((row) => connectionView(row, caller.role === "admin")),
        accounts: accounts.map(accountView),
      });
    })
    .post("/accounts/:id/default", async (c) => {
      const owner = userScopeOf(c.get("caller"));
      const account = await findOwnAccount(db, owner, c.req.param("id"));
      if (!account) throw notFound("account_not_found", "No such account among yours.");
      if (account.status !== "active")
        throw conflict(
          "account_not_active",
          "Only an active account can be the default; link this account again first.",
        );
      await setDefaultAccount(db, owner, account, clock.now().toISOString());
      const updated = await findOwnAccount(db, owner, account.id);
      if (!updated) throw notFound("account_not_found", "The account was unlinked meanwhile.");
      return c.json({ account: accountView(updated) });
    })
    .delete("/accounts/:id", async (c) =>
      c.json(await unlinkAccount(deps, userScopeOf(c.get("caller")), c.req.param("id"))),
    )
    .delete("/connections/:provider", requireRole("admin"), async (c) =>
      c.json(await disconnectConnection(deps, userScopeOf(c.get("caller")), c.req.param("provider"))),
    );
}

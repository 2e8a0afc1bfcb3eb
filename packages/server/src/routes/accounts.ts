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
import { type DisconnectAnswer, linkPurposes, lostFeatures, providerIds } from "@tsunagu/contract";
import { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../auth/middleware.ts";
import { conflict, notFound } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { findOwnAccount, listConnectionsAndOwnAccounts, setDefaultAccount } from "../accounts/store.ts";
import { disconnectConnection, type UnlinkDeps, unlinkAccount } from "../accounts/unlink.ts";
import { accountView, accountViewSchema, connectionView, connectionViewSchema } from "../accounts/views.ts";
import { documented } from "../openapi/route-doc.ts";
import { userScopeOf } from "../store/tenancy.ts";

export type AccountRoutesDeps = UnlinkDeps;

const accountsAnswer = z.object({
  providers: z.array(z.object({ provider: z.enum(providerIds), purposes: z.array(z.enum(linkPurposes)) })),
  connections: z.array(connectionViewSchema),
  accounts: z.array(accountViewSchema),
});
const revocationReport = {
  revokedAtProvider: z.boolean(),
  /** Why not, when the provider kept the grant. */
  note: z.string().optional(),
};
const unlinkAnswer = z.object({
  unlinked: z.object({ id: z.string(), provider: z.string() }),
  newDefaultAccountId: z.string().optional(),
  ...revocationReport,
});
const disconnectAnswer = z.object({
  disconnected: z.object({
    id: z.string(),
    provider: z.enum(providerIds),
    externalId: z.string(),
    displayName: z.string(),
  }),
  stopsWorking: z.array(z.object({ feature: z.enum(lostFeatures), message: z.string() })),
  affectedAccounts: z.array(
    z.object({ id: z.string(), userId: z.string(), email: z.string().nullable(), displayName: z.string() }),
  ),
  ...revocationReport,
}) satisfies z.ZodType<DisconnectAnswer>;
/** Unlinking a Zoom user that hosts upcoming meetings is refused; Zoom unable to tell is a 503. */
const unlinkErrors = { 409: ["zoom_user_hosts_meetings"], 503: ["provider_unavailable"] } as const;

export function accountRoutes(deps: AccountRoutesDeps) {
  const { db, clock } = deps;
  const providers = Object.values(deps.adapters).map((adapter) => ({
    provider: adapter.provider,
    purposes: [...adapter.purposes],
  }));

  return new Hono<AppEnv>()
    .get(
      "/accounts",
      documented({
        summary: "The organisation's connections and the caller's own accounts",
        tag: "accounts",
        answers: { 200: accountsAnswer },
      }),
      async (c) => {
        const caller = c.get("caller");
        const { connections, accounts } = await listConnectionsAndOwnAccounts(db, userScopeOf(caller));
        return c.json({
          providers,
          connections: connections.map((row) => connectionView(row, caller.role === "admin")),
          accounts: accounts.map(accountView),
        });
      },
    )
    .post(
      "/accounts/:id/default",
      documented({
        summary: "Makes one of the caller's accounts the default for its provider",
        tag: "accounts",
        answers: { 200: z.object({ account: accountViewSchema }) },
        errors: { 404: ["account_not_found"], 409: ["account_not_active"] },
      }),
      async (c) => {
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
      },
    )
    .delete(
      "/accounts/:id",
      documented({
        summary: "Unlinks one of the caller's accounts, revoking it at the provider where possible",
        tag: "accounts",
        answers: { 200: unlinkAnswer },
        errors: { 404: ["account_not_found"], ...unlinkErrors },
      }),
      async (c) => c.json(await unlinkAccount(deps, userScopeOf(c.get("caller")), c.req.param("id"))),
    )
    .delete(
      "/connections/:provider",
      requireRole("admin"),
      documented({
        summary: "Disconnects the organisation from a provider: what stops working and whom it affects",
        tag: "accounts",
        answers: { 200: disconnectAnswer },
        errors: { 404: ["connection_not_found"], ...unlinkErrors },
      }),
      async (c) => c.json(await disconnectConnection(deps, userScopeOf(c.get("caller")), c.req.param("provider"))),
    );
}

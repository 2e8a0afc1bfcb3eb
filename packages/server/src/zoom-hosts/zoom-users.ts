/**
 * The organisation's linked Zoom users, one per Zoom user however many portal
 * users link it (a shared recruiting user), and calls made for one of them
 * with whichever grant still works: a link to that very Zoom user first, then
 * the organisation connection (an admin-managed app acts for every user of
 * its Zoom account). A grant Zoom refuses is passed over; each call goes
 * through the Zoom client's one retry path.
 */
import { sql } from "kysely";
import { ReauthRequiredError, type TokenOwner, type TokenRefresher } from "../accounts/refresh.ts";
import { type AccountRow, type ConnectionRow, listConnections, parseDetail } from "../accounts/store.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import { ProviderError } from "../providers/errors.ts";
import type { ZoomApi, ZoomClient } from "../providers/zoom.ts";
import type { DB } from "../store/database.ts";
import { preparedRead } from "../store/prepared-read.ts";
import { amongKeys } from "../store/read-coalescer.ts";
import { type OrgScope, orgRowsRead } from "../store/tenancy.ts";

export interface LinkedZoomUser {
  zoomUserId: string;
  displayName: string;
  /** The Zoom user's `type` when it was linked. */
  userType: number | undefined;
  /** The Zoom account it belongs to. */
  zoomAccountId: string;
  /** Portal users whose links name it. */
  portalUserIds: string[];
  /** Links that still work, oldest first. */
  activeAccounts: AccountRow[];
}

/** The organisation's Zoom links not unlinked, oldest first: read on every hosts query and hold, so compiled once. */
const zoomAccountRows = preparedRead(["hostId", "orgId"], (db, tenant) =>
  db
    .selectFrom("accounts")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("provider", "=", sql.lit("zoom"))
    .where("status", "!=", sql.lit("revoked"))
    .orderBy("created_at")
    .orderBy("user_id"),
);

/** PostgreSQL: the Zoom links of several organisations in one query, each organisation's in the same order. */
const zoomAccountRowsAmong = preparedRead(["hostIds", "orgIds"], (db, keys) =>
  db
    .selectFrom("accounts")
    .selectAll()
    .where(amongKeys(["host_id", "org_id"], [keys.hostIds, keys.orgIds]))
    .where("provider", "=", sql.lit("zoom"))
    .where("status", "!=", sql.lit("revoked"))
    .orderBy("created_at")
    .orderBy("user_id"),
);

/**
 * On PostgreSQL the hosts queries and holds of one turn read their organisations' Zoom links in one query
 * (read-coalescer.ts): fifty pickers opened at once cost one query, not fifty, and every query written to the pool's
 * socket wakes a PostgreSQL backend, which cost the server more than reading the rows (bench/HISTORY.md).
 */
const organisationZoomAccounts = orgRowsRead(zoomAccountRows, zoomAccountRowsAmong);

/** Every Zoom user linked in the organisation and not unlinked, in the order first linked. */
export async function linkedZoomUsers(db: DB, tenant: OrgScope): Promise<Map<string, LinkedZoomUser>> {
  const accounts: AccountRow[] = await organisationZoomAccounts(db, { hostId: tenant.hostId, orgId: tenant.orgId });
  const users = new Map<string, LinkedZoomUser>();
  for (const account of accounts) {
    let user = users.get(account.external_user_id);
    if (!user) {
      const userType = parseDetail(account.detail).userType;
      user = {
        zoomUserId: account.external_user_id,
        displayName: account.display_name,
        userType: typeof userType === "number" ? userType : undefined,
        zoomAccountId: account.external_account_id,
        portalUserIds: [],
        activeAccounts: [],
      };
      users.set(user.zoomUserId, user);
    }
    if (!user.portalUserIds.includes(account.user_id)) user.portalUserIds.push(account.user_id);
    if (account.status === "active") user.activeAccounts.push(account);
  }
  return users;
}

export interface ZoomCallerDeps {
  db: DB;
  refresher: TokenRefresher;
  adapters: LinkAdapters;
  zoom: ZoomClient;
}

/**
 * Runs `call` with the first grant that works for this Zoom user (and whose
 * answer is `accepted`; else the last answer); undefined when none does (every link needs linking again, and no
 * connection covers it).
 * Other failures (Zoom down, a refresh that could not be done now) are thrown.
 */
export async function withZoomUserGrant<T>(
  deps: ZoomCallerDeps,
  tenant: OrgScope,
  user: Pick<LinkedZoomUser, "zoomUserId" | "zoomAccountId" | "activeAccounts">,
  call: (api: ZoomApi) => Promise<T>,
  /** When Zoom's answer depends on who asks (a host change needs scheduling privilege): try the next grant until one is
   * accepted. */
  accepted: (result: T) => boolean = () => true,
): Promise<T | undefined> {
  const adapter = deps.adapters.zoom;
  if (!adapter) return undefined;
  const owners: TokenOwner[] = user.activeAccounts.map((account) => ({
    kind: "account",
    id: account.id,
    ...tenant,
    provider: "zoom",
    credentialId: account.credential_id,
  }));
  // The organisation's connections, a prepared read that concurrent askers share on PostgreSQL (read-coalescer.ts):
  // the hosts query asks for every Zoom user at once when Zoom's answers are not cached.
  const connection = (await listConnections(deps.db, tenant)).find((candidate) => candidate.provider === "zoom");
  if (coversAccount(connection, user.zoomAccountId))
    owners.push({
      kind: "connection",
      id: connection.id,
      ...tenant,
      provider: "zoom",
      credentialId: connection.credential_id,
    });
  const seen = new Set<string>();
  let answered: { result: T } | undefined;
  for (const owner of owners) {
    if (seen.has(owner.credentialId)) continue;
    seen.add(owner.credentialId);
    try {
      const tokens = await deps.refresher.getFreshAccessToken(owner, (current) => adapter.refresh(current));
      const result = await call(deps.zoom.api(tokens.accessToken));
      answered = { result };
      if (accepted(result)) return result;
    } catch (error) {
      if (error instanceof ReauthRequiredError || (error instanceof ProviderError && error.code === "unauthorized"))
        continue;
      throw error;
    }
  }
  return answered?.result;
}

function coversAccount(
  connection: ConnectionRow | undefined,
  zoomAccountId: string,
): connection is ConnectionRow & { credential_id: string } {
  return (
    connection?.status === "active" && connection.credential_id !== null && connection.external_id === zoomAccountId
  );
}

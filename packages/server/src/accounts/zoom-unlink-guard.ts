/**
 * A Zoom user who hosts upcoming meetings cannot be unlinked until those
 * meetings have another host (issue 4, item 5): once the last link goes, we
 * can no longer move, update or cancel the interviews' meetings.
 *
 * The rule for a personal account. Occupancy is per Zoom user, never per
 * portal user (ARCHITECTURE.md): the meetings belong to the Zoom user, not to
 * anyone's link. So while another link to the same Zoom user stays in the
 * organisation (a colleague's link to the shared recruiting user, or the
 * organisation connection authorised by that very user), the organisation
 * can still manage those meetings through it, and one portal user may let
 * go of theirs. Only the last link is held back.
 *
 * For the organisation connection there is no such exception: disconnecting
 * it suspends every personal Zoom link of the organisation (they turn
 * needs_reauth), so no link stays.
 *
 * A link whose grant is already dead (needs_reauth, or Zoom refuses it) is
 * let go: nothing can be managed through it any more, and its meetings
 * cannot be listed with it either.
 */
import { ApiError, conflict } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import { ProviderError } from "../providers/errors.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { ReauthRequiredError, type TokenOwner, type TokenRefresher, TokenRefreshError } from "./refresh.ts";
import { type AccountRow, type ConnectionRow, findConnection } from "./store.ts";

export interface HostedMeeting {
  id: string;
  topic: string | null;
  /** ISO 8601 UTC. */
  start: string;
  end: string;
}

/** A Zoom user a blocked meeting could move to (issue 10): free at that time, under its limit. */
export interface MoveTarget {
  zoomUserId: string;
  displayName: string;
}

/** The organisation's other Zoom users that could host a meeting of `zoomUserId` at its time. */
export type ZoomMoveTargets = (tenant: OrgScope, zoomUserId: string, meeting: HostedMeeting) => Promise<MoveTarget[]>;

/** The Zoom user's upcoming meetings, read with a token that may see them. */
export interface HostedMeetings {
  upcoming(accessToken: string, zoomUserId: string): Promise<HostedMeeting[]>;
}

export interface ZoomUnlinkGuardDeps {
  db: DB;
  logger: Logger;
  adapters: LinkAdapters;
  refresher: TokenRefresher;
  /** Undefined when Zoom is not configured here: nothing can be asked, so nothing is held back. */
  zoomMeetings?: HostedMeetings | undefined;
  /** Names, with each blocking meeting, the hosts it could move to (POST /v1/zoom/meetings/:id/host). */
  zoomMoveTargets?: ZoomMoveTargets | undefined;
}

export async function assertZoomAccountMayGo(
  deps: ZoomUnlinkGuardDeps,
  tenant: OrgScope,
  account: AccountRow,
): Promise<void> {
  if (account.provider !== "zoom" || !deps.zoomMeetings) return;
  const zoomUserId = account.external_user_id;
  const otherLink = await deps.db
    .selectFrom("accounts")
    .select("id")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("provider", "=", "zoom")
    .where("external_user_id", "=", zoomUserId)
    .where("status", "=", "active")
    .where("id", "<>", account.id)
    .executeTakeFirst();
  if (otherLink) return;
  const connection = await findConnection(deps.db, tenant, "zoom");
  const connectionIsTheirs =
    connection?.status === "active" &&
    connection.credential_id !== null &&
    (connection.grant_user_id === zoomUserId || connection.credential_id === account.credential_id);
  if (connectionIsTheirs) return;

  // Their own token first; the organisation's admin-managed app may list any user's meetings too.
  const readers: TokenOwner[] = [];
  if (account.status === "active")
    readers.push({ kind: "account", id: account.id, ...tenant, provider: "zoom", credentialId: account.credential_id });
  if (connection?.status === "active" && connection.credential_id)
    readers.push(connectionOwner(tenant, connection, connection.credential_id));
  await refuseIfHosting(deps, tenant, zoomUserId, account.email ?? account.display_name, readers);
}

export async function assertZoomConnectionMayGo(
  deps: ZoomUnlinkGuardDeps,
  tenant: OrgScope,
  connection: ConnectionRow,
): Promise<void> {
  if (
    connection.provider !== "zoom" ||
    !deps.zoomMeetings ||
    connection.status !== "active" ||
    !connection.credential_id
  )
    return;
  const zoomUserId =
    connection.grant_user_id ?? (await ownAccountSharing(deps.db, tenant, connection.credential_id))?.external_user_id;
  if (!zoomUserId) return;
  await refuseIfHosting(deps, tenant, zoomUserId, zoomUserId, [
    connectionOwner(tenant, connection, connection.credential_id),
  ]);
}

async function refuseIfHosting(
  deps: ZoomUnlinkGuardDeps,
  tenant: OrgScope,
  zoomUserId: string,
  who: string,
  readers: TokenOwner[],
): Promise<void> {
  const meetings = await readUpcoming(deps, zoomUserId, readers);
  if (!meetings || meetings.length === 0) return;
  const targets = deps.zoomMoveTargets;
  const withTargets = targets
    ? await Promise.all(
        meetings.map(async (meeting) => ({ ...meeting, hosts: await targets(tenant, zoomUserId, meeting) })),
      )
    : meetings;
  throw conflict(
    "zoom_user_hosts_meetings",
    `The Zoom user ${who} hosts ${meetings.length} upcoming meeting(s). Move them to another host first (each lists ` +
      `the hosts free at its time: POST /v1/zoom/meetings/:id/host), then unlink.`,
    { zoomUserId, meetings: withTargets },
  );
}

/** Undefined when no reader has a working grant any more. */
async function readUpcoming(
  deps: ZoomUnlinkGuardDeps,
  zoomUserId: string,
  readers: TokenOwner[],
): Promise<HostedMeeting[] | undefined> {
  const adapter = deps.adapters.zoom;
  const meetings = deps.zoomMeetings;
  if (!adapter || !meetings) return undefined;
  for (const reader of readers) {
    try {
      const tokens = await deps.refresher.getFreshAccessToken(reader, (current) => adapter.refresh(current));
      return await meetings.upcoming(tokens.accessToken, zoomUserId);
    } catch (error) {
      if (error instanceof ReauthRequiredError || (error instanceof ProviderError && error.code === "unauthorized"))
        continue;
      if (error instanceof TokenRefreshError || error instanceof ProviderError) {
        const retryAfter = error instanceof TokenRefreshError ? error.retryAfterSeconds : undefined;
        throw new ApiError(
          503,
          "provider_unavailable",
          "Zoom could not tell whether this Zoom user hosts upcoming meetings. Try again in a moment.",
          {
            cause: error,
            ...(retryAfter !== undefined ? { headers: { "Retry-After": String(retryAfter) } } : {}),
          },
        );
      }
      throw error;
    }
  }
  deps.logger.info("no working Zoom grant to list upcoming meetings with; the link goes", { zoomUserId });
  return undefined;
}

function connectionOwner(tenant: OrgScope, connection: ConnectionRow, credentialId: string): TokenOwner {
  return { kind: "connection", id: connection.id, ...tenant, provider: "zoom", credentialId };
}

async function ownAccountSharing(
  db: DB,
  tenant: OrgScope,
  credentialId: string,
): Promise<Pick<AccountRow, "external_user_id"> | undefined> {
  return db
    .selectFrom("accounts")
    .select("external_user_id")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("provider", "=", "zoom")
    .where("credential_id", "=", credentialId)
    .executeTakeFirst();
}

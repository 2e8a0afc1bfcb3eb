/**
 * Tenancy: (host, org) owns organisation data, (host, org, user) owns personal
 * data. Every query here takes one of these scopes whole and filters on every
 * column of it, so a caller can never name another tenant's rows. Scopes are
 * built only from verified host-token claims.
 */
import { type OrganisationLocale, organisationLocales } from "@tsunagu/contract";
import type { Selectable } from "kysely";
import { type Clock, isoNow } from "../clock.ts";
import type { DB } from "./database.ts";
import { preparedRead } from "./prepared-read.ts";
import { amongKeys, coalescedOnPostgres } from "./read-coalescer.ts";
import type { UsersTable } from "./schema.ts";

export interface OrgScope {
  hostId: string;
  orgId: string;
}

export interface UserScope extends OrgScope {
  userId: string;
}

export type UserRow = Selectable<UsersTable>;

/**
 * What the store keeps of a verified caller: the host token's claims that
 * name the tenant and describe the user (src/auth/host-token.ts verifies
 * them; the store depends on their shape only).
 */
export interface CallerClaims {
  /** The host id. */
  iss: string;
  org: string;
  sub: string;
  email: string;
  role: string;
  name?: string | undefined;
  locale?: string | undefined;
  tz?: string | undefined;
}

export function orgScopeOf(caller: Pick<CallerClaims, "iss" | "org">): OrgScope {
  return { hostId: caller.iss, orgId: caller.org };
}

/** A scope as one string: the same for the same (host, org, user), different otherwise. */
export function userScopeIdentity(scope: UserScope): string {
  return JSON.stringify([scope.hostId, scope.orgId, scope.userId]);
}

/** A scope as one string: the same for the same (host, org), different otherwise. */
export function orgScopeIdentity(scope: OrgScope): string {
  return JSON.stringify([scope.hostId, scope.orgId]);
}

export function userScopeOf(caller: Pick<CallerClaims, "iss" | "org" | "sub">): UserScope {
  return { hostId: caller.iss, orgId: caller.org, userId: caller.sub };
}

/** The (host, org) a row of organisation data belongs to, from its key columns. */
export function orgScopeOfRow(row: { host_id: string; org_id: string }): OrgScope {
  return { hostId: row.host_id, orgId: row.org_id };
}

/** The (host, org, user) a row of personal data belongs to, from its key columns. */
export function userScopeOfRow(row: { host_id: string; org_id: string; user_id: string }): UserScope {
  return { hostId: row.host_id, orgId: row.org_id, userId: row.user_id };
}

/**
 * Scopes as one array per key column, the n-th scope made of each array's n-th value: what a coalesced read binds
 * for `amongKeys` (read-coalescer.ts).
 */
export function orgScopeColumns(scopes: readonly OrgScope[]): { hostIds: string[]; orgIds: string[] } {
  return { hostIds: scopes.map((scope) => scope.hostId), orgIds: scopes.map((scope) => scope.orgId) };
}

/**
 * A read of one organisation's rows that, on PostgreSQL outside a transaction, goes out with the other
 * organisations' reads of the same turn (read-coalescer.ts): `readOne` for a turn of one organisation (its statement
 * is the cheaper one), `readAmong` with the key columns for several, its rows carrying their key columns and each
 * organisation's in the order `readOne` gives them. Elsewhere `readOne` alone.
 */
export function orgRowsRead<Row extends { host_id: string; org_id: string }>(
  readOne: (db: DB, tenant: OrgScope) => Promise<Row[]>,
  readAmong: (db: DB, keys: { hostIds: string[]; orgIds: string[] }) => Promise<Row[]>,
): (db: DB, tenant: OrgScope) => Promise<Row[]> {
  const coalescedOf = coalescedOnPostgres<OrgScope, Row>({
    identify: orgScopeIdentity,
    identifyRow: (row) => orgScopeIdentity(orgScopeOfRow(row)),
    readMany: (db, tenants) => readAmong(db, orgScopeColumns(tenants)),
    readOne,
  });
  return (db, tenant) => {
    const coalesced = coalescedOf(db);
    return coalesced ? coalesced(tenant) : readOne(db, tenant);
  };
}

/** As `orgScopeColumns`, with the users' ids as a third array. */
export function userScopeColumns(scopes: readonly UserScope[]): {
  hostIds: string[];
  orgIds: string[];
  userIds: string[];
} {
  return { ...orgScopeColumns(scopes), userIds: scopes.map((scope) => scope.userId) };
}

/**
 * Creates the organisation on first sight. `adminLocale`, the locale of an
 * admin's token, becomes the organisation's language (issue 16: it decides
 * the holiday rule's default) unless one is stored already; otherwise an
 * existing organisation is left as it is.
 */
export async function upsertOrganisation(
  db: DB,
  scope: OrgScope,
  clock: Clock,
  adminLocale?: OrganisationLocale,
): Promise<void> {
  await db
    .insertInto("organisations")
    .values({ host_id: scope.hostId, org_id: scope.orgId, created_at: isoNow(clock), locale: adminLocale ?? null })
    .onConflict((conflict) => {
      const existing = conflict.columns(["host_id", "org_id"]);
      if (!adminLocale) return existing.doNothing();
      return existing.doUpdateSet({ locale: adminLocale }).where("organisations.locale", "is", null);
    })
    .execute();
}

/** The organisation's stored language, null while neither an admin nor an admin's token gave one. */
export async function readOrganisationLocale(db: DB, scope: OrgScope): Promise<OrganisationLocale | null> {
  const row = await db
    .selectFrom("organisations")
    .select("locale")
    .where("host_id", "=", scope.hostId)
    .where("org_id", "=", scope.orgId)
    .executeTakeFirst();
  return asOrganisationLocale(row?.locale) ?? null;
}

/** An admin's choice of the organisation's language: it replaces whatever was stored or recorded. */
export async function writeOrganisationLocale(
  db: DB,
  scope: OrgScope,
  clock: Clock,
  locale: OrganisationLocale,
): Promise<void> {
  await db
    .insertInto("organisations")
    .values({ host_id: scope.hostId, org_id: scope.orgId, created_at: isoNow(clock), locale })
    .onConflict((conflict) => conflict.columns(["host_id", "org_id"]).doUpdateSet({ locale }))
    .execute();
}

function asOrganisationLocale(value: string | null | undefined): OrganisationLocale | undefined {
  return organisationLocales.find((locale) => locale === value);
}

/**
 * Creates the user or refreshes what the portal says about them: the portal is
 * the source of truth for email, name, role, locale and time zone, so the
 * latest token wins (an omitted optional claim clears the stored value).
 * Latest by the token's `iat`, not by when a process wrote it: a page still
 * holding a token issued before the portal demoted its user does not write
 * the old role back over the newer token's (whichever process each reaches).
 */
export async function upsertUser(db: DB, caller: CallerClaims & { iat?: number }, clock: Clock): Promise<void> {
  const now = isoNow(clock);
  const scope = userScopeOf(caller);
  const profile = {
    email: caller.email,
    name: caller.name ?? null,
    role: caller.role,
    locale: caller.locale ?? null,
    time_zone: caller.tz ?? null,
    profile_issued_at: caller.iat ?? null,
  };
  await db
    .insertInto("users")
    .values({
      host_id: scope.hostId,
      org_id: scope.orgId,
      user_id: scope.userId,
      ...profile,
      first_seen_at: now,
      last_seen_at: now,
    })
    .onConflict((conflict) =>
      conflict
        .columns(["host_id", "org_id", "user_id"])
        .doUpdateSet({ ...profile, last_seen_at: now })
        .where((eb) =>
          eb.or([
            eb("users.profile_issued_at", "is", null),
            eb(eb.ref("excluded.profile_issued_at"), "is", null),
            eb("users.profile_issued_at", "<=", eb.ref("excluded.profile_issued_at")),
          ]),
        ),
    )
    .execute();
}

/**
 * Records a verified caller: its organisation first (users reference it), then the user. An admin's token locale
 * becomes the organisation's language when it has none yet.
 */
export async function recordCaller(db: DB, caller: CallerClaims & { iat?: number }, clock: Clock): Promise<void> {
  const adminLocale = caller.role === "admin" ? asOrganisationLocale(caller.locale) : undefined;
  await upsertOrganisation(db, orgScopeOf(caller), clock, adminLocale);
  await upsertUser(db, caller, clock);
}

const userRow = preparedRead(["hostId", "orgId", "userId"], (db, scope) =>
  db
    .selectFrom("users")
    .selectAll()
    .where("host_id", "=", scope.hostId)
    .where("org_id", "=", scope.orgId)
    .where("user_id", "=", scope.userId),
);

/** PostgreSQL: the rows of several users at once, one array of each key column (read-coalescer.ts). */
const userRowsAmong = preparedRead(["hostIds", "orgIds", "userIds"], (db, keys) =>
  db
    .selectFrom("users")
    .selectAll()
    .where(amongKeys(["host_id", "org_id", "user_id"], [keys.hostIds, keys.orgIds, keys.userIds])),
);

/**
 * The caller's row on PostgreSQL is read together with the other callers' rows asked for in the same turn, in one
 * query (read-coalescer.ts), by its primary key when it is the only one; inside a transaction, or on SQLite, alone.
 */
const coalescedUserRead = coalescedOnPostgres<UserScope, UserRow>({
  identify: userScopeIdentity,
  identifyRow: (row) => userScopeIdentity(userScopeOfRow(row)),
  readMany: (db, scopes) => userRowsAmong(db, userScopeColumns(scopes)),
  readOne: (db, scope) => userRow(db, scope),
});

export async function findUser(db: DB, scope: UserScope): Promise<UserRow | undefined> {
  const coalesced = coalescedUserRead(db);
  if (coalesced) return (await coalesced(scope))[0];
  return (await userRow(db, scope))[0];
}

/** What GET /v1/me answers of the caller's row besides its scope. */
export type UserProfile = Pick<UserRow, "email" | "name" | "role" | "locale" | "time_zone">;

const userProfileRow = preparedRead(["hostId", "orgId", "userId"], (db, scope) =>
  db
    .selectFrom("users")
    .select(["email", "name", "role", "locale", "time_zone"])
    .where("host_id", "=", scope.hostId)
    .where("org_id", "=", scope.orgId)
    .where("user_id", "=", scope.userId),
);

/**
 * The caller's profile, as `findUser` reads it but, on SQLite, only the five columns asked for: each column of a row
 * read costs its conversion to a JavaScript value, as much as half of the indexed read itself. On PostgreSQL the
 * caller's row is read with the other callers' rows of the same turn, as `findUser`'s.
 */
export async function findUserProfile(db: DB, scope: UserScope): Promise<UserProfile | undefined> {
  const coalesced = coalescedUserRead(db);
  if (coalesced) return (await coalesced(scope))[0];
  return (await userProfileRow(db, scope))[0];
}

export async function organisationExists(db: DB, scope: OrgScope): Promise<boolean> {
  const row = await db
    .selectFrom("organisations")
    .select("org_id")
    .where("host_id", "=", scope.hostId)
    .where("org_id", "=", scope.orgId)
    .executeTakeFirst();
  return row !== undefined;
}

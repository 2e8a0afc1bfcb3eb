/**
 * Table types for Kysely. Timestamps are ISO 8601 UTC strings on both
 * SQLite and PostgreSQL, so comparisons and ordering behave the same.
 * Each capability's migration adds its tables here.
 */
import type { Generated } from "kysely";

export interface HostsTable {
  id: string;
  created_at: string;
  updated_at: string;
}

export interface OrganisationsTable {
  host_id: string;
  org_id: string;
  created_at: string;
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
  created_at: string;
  updated_at: string;
}

export interface Database {
  hosts: HostsTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  audit_log: AuditLogTable;
  credentials: CredentialsTable;
}

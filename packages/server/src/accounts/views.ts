/** What the browser sees of connections and accounts: ids, names, emails, status. Never tokens or credential ids. */
import { type AccountRow, type ConnectionRow, parseDetail } from "./store.ts";

export interface ConnectionView {
  id: string;
  provider: string;
  externalId: string;
  displayName: string;
  detail: Record<string, unknown>;
  status: string;
  statusReason: string | null;
  connectedBy: string;
  createdAt: string;
  updatedAt: string;
  /** Whether the caller may disconnect or reconnect it (admins). */
  canManage: boolean;
}

export interface AccountView {
  id: string;
  provider: string;
  externalUserId: string;
  externalAccountId: string;
  email: string | null;
  displayName: string;
  detail: Record<string, unknown>;
  status: string;
  statusReason: string | null;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

export function connectionView(row: ConnectionRow, canManage: boolean): ConnectionView {
  return {
    id: row.id,
    provider: row.provider,
    externalId: row.external_id,
    displayName: row.display_name,
    detail: parseDetail(row.detail),
    status: row.status,
    statusReason: row.status_reason,
    connectedBy: row.connected_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    canManage,
  };
}

export function accountView(row: AccountRow): AccountView {
  return {
    id: row.id,
    provider: row.provider,
    externalUserId: row.external_user_id,
    externalAccountId: row.external_account_id,
    email: row.email,
    displayName: row.display_name,
    detail: parseDetail(row.detail),
    status: row.status,
    statusReason: row.status_reason,
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * What the browser sees of connections and accounts: ids, names, emails,
 * status. Never tokens or credential ids. The shapes are the contract's
 * (`@tsunagu/contract`), the ones the element reads.
 */
import type { AccountView, ConnectionView, ProviderId } from "@tsunagu/contract";
import { type AccountRow, type ConnectionRow, parseDetail } from "./store.ts";

export type { AccountView, ConnectionView };

export function connectionView(row: ConnectionRow, canManage: boolean): ConnectionView {
  return {
    id: row.id,
    // Rows are only ever written for a provider the server has an adapter for, that is a ProviderId.
    provider: row.provider as ProviderId,
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
    provider: row.provider as ProviderId,
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

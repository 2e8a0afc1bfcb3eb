/**
 * What the browser sees of connections and accounts: ids, names, emails,
 * status. Never tokens or credential ids. The shapes are the contract's
 * (`@tsunagu/contract`), the ones the element reads.
 */
import {
  type AccountView,
  type ConnectionView,
  linkStatuses,
  type ProviderId,
  providerIds,
  statusReasons,
} from "@tsunagu/contract";
import { z } from "zod";
import { type AccountListing, type ConnectionListing, parseDetail } from "./store.ts";

export type { AccountView, ConnectionView };

/** The views' shapes, for the OpenAPI document. */
export const connectionViewSchema = z.object({
  id: z.string(),
  provider: z.enum(providerIds),
  externalId: z.string(),
  displayName: z.string(),
  detail: z.record(z.string(), z.unknown()),
  status: z.enum(linkStatuses),
  statusReason: z.enum(statusReasons).nullable(),
  connectedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  canManage: z.boolean(),
}) satisfies z.ZodType<ConnectionView>;

export const accountViewSchema = z.object({
  id: z.string(),
  provider: z.enum(providerIds),
  externalUserId: z.string(),
  externalAccountId: z.string(),
  email: z.string().nullable(),
  displayName: z.string(),
  detail: z.record(z.string(), z.unknown()),
  status: z.enum(linkStatuses),
  statusReason: z.enum(statusReasons).nullable(),
  isDefault: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<AccountView>;

export function connectionView(row: ConnectionListing, canManage: boolean): ConnectionView {
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

export function accountView(row: AccountListing): AccountView {
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

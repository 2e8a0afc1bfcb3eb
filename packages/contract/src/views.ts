/**
 * What the API answers about connections and accounts (`GET /v1/accounts`,
 * `DELETE /v1/connections/:provider`): ids, names, emails, status. Never
 * tokens or credential ids. The server builds these (accounts/views.ts); the
 * element reads them (integration-accounts/accounts-api.ts).
 */
import type { LostFeatureEntry } from "./impact.ts";
import type { LinkPurpose, ProviderId } from "./providers.ts";
import type { LinkStatus, StatusReason } from "./status.ts";

/** The organisation's connection to a provider (`connections[]`). */
export interface ConnectionView {
  id: string;
  provider: ProviderId;
  /** Slack team id, Google Workspace domain, Microsoft tenant id, Zoom account id. */
  externalId: string;
  displayName: string;
  detail: Record<string, unknown>;
  status: LinkStatus;
  statusReason: StatusReason | null;
  /** The portal user id of the admin who connected it. */
  connectedBy: string;
  createdAt: string;
  updatedAt: string;
  /** Whether the caller may disconnect or reconnect it (admins). */
  canManage: boolean;
}

/** One of the caller's own accounts (`accounts[]`). */
export interface AccountView {
  id: string;
  provider: ProviderId;
  externalUserId: string;
  /** The workspace, domain, tenant or Zoom account the account belongs to. */
  externalAccountId: string;
  email: string | null;
  displayName: string;
  detail: Record<string, unknown>;
  status: LinkStatus;
  statusReason: StatusReason | null;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A provider the server can link, and for what (`providers[]`). */
export interface ProviderOffer {
  provider: ProviderId;
  purposes: LinkPurpose[];
}

/** `GET /v1/accounts`. */
export interface AccountsAnswer {
  providers: ProviderOffer[];
  connections: ConnectionView[];
  accounts: AccountView[];
}

/** `DELETE /v1/connections/:provider`. */
export interface DisconnectAnswer {
  disconnected: { id: string; provider: ProviderId; externalId: string; displayName: string };
  stopsWorking: LostFeatureEntry[];
  affectedAccounts: Array<{ id: string; userId: string; email: string | null; displayName: string }>;
  revokedAtProvider: boolean;
  note?: string;
}

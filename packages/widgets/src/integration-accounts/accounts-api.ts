/**
 * The Tsunagu server's answers the element reads, as the contract
 * (`@tsunagu/contract`) and the server's routes (oauth/flows.ts,
 * accounts/unlink.ts) define them, and the checks that turn an unexpected answer into a
 * typed error instead of a broken render.
 */
import {
  type AccountsAnswer,
  type AccountView,
  type ConnectionView,
  type DisconnectAnswer,
  type LinkPurpose,
  type LinkStatus,
  linkPurposes,
  linkStatuses,
  type ProviderId,
  type ProviderOffer,
  providerIds,
} from "@tsunagu/contract";
import { clientErrorCodes, isRecord, TsunaguApiError } from "../shared/api-error.ts";

export type { AccountsAnswer, DisconnectAnswer, LinkPurpose, ProviderOffer };

/** The organisation's connection to a provider (`GET /v1/accounts` → `connections[]`). */
export type Connection = ConnectionView;

/** One of the caller's own accounts (`GET /v1/accounts` → `accounts[]`). */
export type Account = AccountView;

/** `GET /v1/me`. */
export interface MeAnswer {
  host: string;
  org: string;
  user: string;
  role: string;
  email: string;
}

/** `POST /v1/oauth/:provider/start`. */
export interface StartedFlow {
  flow: string;
  /** The one-time URL on the server that sends the browser on to the provider, when POSTed the begin secret from this
   * page. */
  url: string;
  /** The begin form's `secret` (begin-form.ts); the server keeps only its hash. */
  beginSecret: string;
  expiresAt: string;
}

export interface Refusal {
  code: string;
  message: string;
}

/** `GET /v1/oauth/flows/:flow`. */
export interface FlowStatus {
  flow: string;
  provider: string;
  purpose: string;
  /** `expired`: the flow was never finished and its time is over; `error` then says `flow_expired`. */
  status: "created" | "started" | "linked" | "error" | "expired";
  expiresAt: string;
  accountId?: string;
  connectionId?: string;
  error?: Refusal;
}

/** `DELETE /v1/accounts/:id`. */
export interface UnlinkAnswer {
  unlinked: { id: string; provider: string };
  revokedAtProvider: boolean;
  note?: string;
  newDefaultAccountId?: string;
}

export const accountsPath = "/v1/accounts";
export const mePath = "/v1/me";
export const startPath = (provider: ProviderId) => `/v1/oauth/${provider}/start`;
export const flowPath = (flow: string) => `/v1/oauth/flows/${encodeURIComponent(flow)}`;
export const accountPath = (id: string) => `/v1/accounts/${encodeURIComponent(id)}`;
export const defaultPath = (id: string) => `/v1/accounts/${encodeURIComponent(id)}/default`;
export const connectionPath = (provider: ProviderId) => `/v1/connections/${provider}`;

/**
 * Checks the shape the element relies on. Providers this version of the
 * widgets does not know are left out rather than rendered half-way; an
 * unknown status reads as `revoked` (unusable until linked again).
 */
export function readAccountsAnswer(body: unknown): AccountsAnswer {
  if (
    !isRecord(body) ||
    !Array.isArray(body.providers) ||
    !Array.isArray(body.connections) ||
    !Array.isArray(body.accounts)
  ) {
    throw new TsunaguApiError(
      200,
      clientErrorCodes.invalidResponse,
      "GET /v1/accounts answered without providers, connections and accounts.",
    );
  }
  const providers = body.providers.filter(isRecord).flatMap((offer): ProviderOffer[] => {
    const provider = knownProvider(offer.provider);
    if (!provider || !Array.isArray(offer.purposes)) return [];
    return [
      {
        provider,
        purposes: offer.purposes.filter((purpose): purpose is LinkPurpose =>
          linkPurposes.some((known) => known === purpose),
        ),
      },
    ];
  });
  const connections = body.connections.filter(isRecord).flatMap((row): Connection[] => {
    const provider = knownProvider(row.provider);
    if (!provider || typeof row.id !== "string") return [];
    return [
      {
        ...(row as unknown as Connection),
        provider,
        status: knownStatus(row.status),
        detail: isRecord(row.detail) ? row.detail : {},
        canManage: row.canManage === true,
      },
    ];
  });
  const accounts = body.accounts.filter(isRecord).flatMap((row): Account[] => {
    const provider = knownProvider(row.provider);
    if (!provider || typeof row.id !== "string") return [];
    return [
      {
        ...(row as unknown as Account),
        provider,
        status: knownStatus(row.status),
        detail: isRecord(row.detail) ? row.detail : {},
        isDefault: row.isDefault === true,
      },
    ];
  });
  return { providers, connections, accounts };
}

function knownProvider(value: unknown): ProviderId | undefined {
  return providerIds.find((provider) => provider === value);
}

function knownStatus(value: unknown): LinkStatus {
  return linkStatuses.find((status) => status === value) ?? "revoked";
}

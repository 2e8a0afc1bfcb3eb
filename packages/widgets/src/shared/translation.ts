/**
 * The shape every locale file fills in. No element puts a literal UI string
 * in a template: add a term here, then to `locales/ja.ts` and `locales/en.ts`
 * (the compiler refuses a locale that misses one). Counts are functions, so
 * each language says its own plural.
 */
import type { ProviderId } from "./provider-id.ts";

export type Language = "ja" | "en";

export type AccountStatus = "active" | "needs_reauth" | "revoked";

/** Codes with a message of our own; any other code shows the server's message. */
export type TranslatedErrorCode =
  | "network_error"
  | "timeout"
  | "invalid_response"
  | "server_missing"
  | "token_missing"
  | "token_unavailable"
  | "token_expired"
  | "token_signature"
  | "forbidden"
  | "rate_limited"
  | "internal_error";

export interface Translation {
  $language: Language;
  /** The language's name in itself, for language pickers. */
  $name: string;

  loading: string;
  retry: string;
  close: string;
  cancel: string;
  save: string;
  connect: string;
  disconnect: string;
  reconnect: string;
  errorHeading: string;
  requestId: (id: string) => string;

  providerName: (provider: ProviderId) => string;
  accountStatus: (status: AccountStatus) => string;
  accountCount: (count: number) => string;
  minutes: (count: number) => string;

  errors: Record<TranslatedErrorCode, string>;
}

/** The keys `term()` accepts: every entry that is a string or a function returning one. */
export type TermKey = {
  [K in keyof Translation]: Translation[K] extends string | ((...args: never[]) => string) ? K : never;
}[keyof Translation];

/** The arguments a term takes: none for a plain string. */
export type TermArgs<K extends TermKey> = Translation[K] extends (...args: infer A) => string ? A : [];

/**
 * The token store: provider tokens as the credential store keeps them,
 * sealed by the vault. Everything that reads or writes tokens for accounts
 * and connections goes through here, so the stored shape is parsed in one place.
 */
import { z } from "zod";
import type { Clock } from "../clock.ts";
import type { TokenSet } from "../providers/types.ts";
import { createCredential, deleteCredential, readCredential, replaceCredential } from "../store/credentials.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import type { Vault } from "../vault/vault.ts";

export interface StoredTokens {
  tokens: TokenSet;
  version: number;
}

/** Tokens as the credential row holds them now: `writtenAt` is when they were last written (credentials.ts). */
export interface ReadTokens extends StoredTokens {
  writtenAt: string;
}

export interface TokenStoreDeps {
  db: DB;
  vault: Vault;
  clock: Clock;
}

const storedTokenSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresAt: z.iso.datetime().optional(),
  scopes: z.array(z.string()),
  idToken: z.string().optional(),
});

/** Seals `tokens` as a new credential of the tenant; returns its id. `grantedAt`: `grantStamp()` of the code exchange.
 * */
export async function storeTokens(
  deps: TokenStoreDeps,
  scope: OrgScope,
  provider: string,
  tokens: TokenSet,
  grantedAt: number | null = null,
): Promise<string> {
  return createCredential(deps.db, deps.vault, deps.clock, scope, provider, toSecret(tokens), grantedAt);
}

export async function readTokens(
  deps: TokenStoreDeps,
  scope: OrgScope,
  credentialId: string,
): Promise<ReadTokens | undefined> {
  const stored = await readCredential(deps.db, deps.vault, scope, credentialId);
  return stored && { ...tokensOf(credentialId, stored.secret, stored.version), writtenAt: stored.writtenAt };
}

/** An opened credential's secret as tokens; throws when it holds something else. */
export function tokensOf(credentialId: string, secret: unknown, version: number): StoredTokens {
  const parsed = storedTokenSchema.safeParse(secret);
  if (!parsed.success) throw new Error(`credential ${credentialId} does not hold a token set`, { cause: parsed.error });
  return { tokens: parsed.data, version };
}

/** Compare-and-swap on the credential version: false when someone else wrote first. */
export async function replaceTokens(
  deps: TokenStoreDeps,
  scope: OrgScope,
  credentialId: string,
  expectedVersion: number,
  tokens: TokenSet,
): Promise<boolean> {
  return replaceCredential(deps.db, deps.vault, deps.clock, scope, credentialId, toSecret(tokens), expectedVersion);
}

export async function deleteTokens(
  deps: Pick<TokenStoreDeps, "db">,
  scope: OrgScope,
  credentialId: string,
): Promise<void> {
  await deleteCredential(deps.db, scope, credentialId);
}

function toSecret(tokens: TokenSet): Record<string, unknown> {
  return {
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
    scopes: [...tokens.scopes],
    ...(tokens.idToken !== undefined ? { idToken: tokens.idToken } : {}),
  };
}

/**
 * `tsunagu keys generate` and `tsunagu vault reencrypt`: key rotation.
 *
 * Rotation is: generate a key, put it first in TSUNAGU_ENCRYPTION_KEYS (old
 * keys after it, so existing rows still open), restart every server process,
 * re-encrypt, then drop the old keys once no credential uses them.
 */
import { parseArgs } from "node:util";
import { ConfigError, parseEncryptionKeys } from "../config.ts";
import { countCredentialsByKey, reencryptAll } from "../store/credentials.ts";
import type { DB } from "../store/database.ts";
import { defaultKeyId, generateKeyEntry } from "../vault/keys.ts";
import type { Vault } from "../vault/vault.ts";

export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
}

const keysUsage = "usage: tsunagu keys generate [--id <keyId>]";
const vaultUsage = "usage: tsunagu vault reencrypt [--batch-size <n>]";

/** Prints the entry alone on stdout (so scripts can capture it) and the next steps on stderr. */
export function runKeysCommand(args: string[], io: CommandIO): number {
  const parsed = parseFlags(args, { id: { type: "string" } }, io, keysUsage);
  if (parsed?.positionals.join(" ") !== "generate") {
    if (parsed) io.err(keysUsage);
    return 2;
  }
  const keyId = typeof parsed.values.id === "string" ? parsed.values.id : defaultKeyId(new Date());
  const entry = generateKeyEntry(keyId);
  try {
    // The same rules the server applies when it reads the variable.
    parseEncryptionKeys(entry);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`--id "${keyId}" is not a usable key id: use 1-64 of the characters A-Z a-z 0-9 . _ -`);
    return 2;
  }
  io.out(entry);
  io.err(`A first key: TSUNAGU_ENCRYPTION_KEYS=<this entry>`);
  io.err(`A new key: put this entry FIRST in TSUNAGU_ENCRYPTION_KEYS, keeping the current entries after it:`);
  io.err(`  TSUNAGU_ENCRYPTION_KEYS=<this entry>,<current entries>`);
  io.err(`Restart every server process, then run \`tsunagu vault reencrypt\`.`);
  io.err(`When it reports that no credential uses an old key any more, remove that key from the list.`);
  return 0;
}

export async function runVaultCommand(args: string[], io: CommandIO, deps: { db: DB; vault: Vault }): Promise<number> {
  const parsed = parseFlags(args, { "batch-size": { type: "string" } }, io, vaultUsage);
  if (parsed?.positionals.join(" ") !== "reencrypt") {
    if (parsed) io.err(vaultUsage);
    return 2;
  }
  const rawBatchSize = parsed.values["batch-size"];
  const batchSize = typeof rawBatchSize === "string" ? Number(rawBatchSize) : 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    io.err(`--batch-size must be a positive integer, got "${rawBatchSize}"`);
    return 2;
  }

  const { db, vault } = deps;
  const result = await reencryptAll(db, vault, { batchSize });
  io.out(
    `re-encrypted ${result.reencrypted} credential(s) under key "${vault.currentKeyId}" (${result.scanned} under ` +
      `another key, ${result.skipped} re-sealed or deleted meanwhile, ${result.failed} failed)`,
  );
  for (const failure of result.failures)
    io.err(`credential ${failure.credentialId} (key "${failure.keyId}"): ${failure.code}`);

  const byKey = await countCredentialsByKey(db);
  const others = [...byKey].filter(([keyId]) => keyId !== vault.currentKeyId);
  if (others.length === 0) {
    io.out(
      `every credential is sealed with "${vault.currentKeyId}": the other keys can be removed from ` +
        `TSUNAGU_ENCRYPTION_KEYS`,
    );
  } else {
    for (const [keyId, count] of others)
      io.out(`key "${keyId}" still seals ${count} credential(s): keep it in TSUNAGU_ENCRYPTION_KEYS`);
  }
  return result.failed > 0 ? 1 : 0;
}

type FlagSpec = Record<string, { type: "string" }>;

/** parseArgs with the usage printed on a bad flag instead of a stack trace. */
function parseFlags(args: string[], options: FlagSpec, io: CommandIO, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    io.err(usage);
    return undefined;
  }
}

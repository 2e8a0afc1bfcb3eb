#!/usr/bin/env -S npx tsx
/**
 * `pnpm tsunagu <command>`: operator commands.
 *   hosts add|list|rotate-key|remove   manage the host registry file (TSUNAGU_HOSTS_FILE)
 *   keys generate [--id ID]             print a new encryption key entry
 *   vault reencrypt                     re-seal every stored token under the newest key
 */
import { runHostsCommand } from "./cli/hosts.ts";
import { runKeysCommand, runVaultCommand } from "./cli/vault.ts";
import { ConfigError, loadConfigFromEnvironment, loadHostsFileFromEnvironment } from "./config.ts";
import { migrateToLatest, openDatabase } from "./store/database.ts";
import { createVault } from "./vault/vault.ts";

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};
const usage = "usage: tsunagu hosts (add|list|rotate-key|remove) … | keys generate [--id ID] | vault reencrypt";

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "hosts":
      return runHostsCommand(rest, io, { hostsFile: loadHostsFileFromEnvironment() });
    case "keys":
      return runKeysCommand(rest, io);
    case "vault": {
      const config = loadConfigFromEnvironment();
      const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        await migrateToLatest(db);
        return await runVaultCommand(rest, io, { db, vault: createVault(config.encryptionKeys) });
      } finally {
        await db.destroy();
      }
    }
    default:
      io.err(usage);
      return 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    io.err(`tsunagu: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);

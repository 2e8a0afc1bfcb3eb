#!/usr/bin/env -S npx tsx
/**
 * `tsunagu <command>`: operator commands. Its messages name commands `tsunagu …`, as the README does, however it was
 * run: `pnpm tsunagu …` in this repository, `npx tsunagu …` where the package is installed from npm.
 *   hosts add|list|rotate-key|rotate-webhook|remove   manage the host registry file (TSUNAGU_HOSTS_FILE)
 *   keys generate [--id ID]                            print a new encryption key entry
 *   vault reencrypt                                    re-seal every stored token under the newest key
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
const usage = [
  "usage: tsunagu <command>",
  "  hosts add|list|rotate-key|rotate-webhook|remove …   the host registry (TSUNAGU_HOSTS_FILE); `tsunagu hosts` " +
    "lists their options",
  "  keys generate [--id ID]                             a new TSUNAGU_ENCRYPTION_KEYS entry",
  "  vault reencrypt [--batch-size N]                    re-seal every stored token under the first key",
].join("\n");

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
    case "help":
    case "--help":
    case "-h":
      io.out(usage);
      return 0;
    default:
      io.err(command ? `tsunagu: unknown command "${command}"\n${usage}` : usage);
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

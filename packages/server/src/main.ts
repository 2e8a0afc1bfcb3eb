/**
 * The server entry (`pnpm start` runs its build, `dist/main.js`): reads the environment, opens and migrates the
 * database, loads
 * the host registry, mounts the sandbox when asked, and listens on PORT.
 */
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { createServerApp } from "./app.ts";
import { HostsFileError, loadHostRegistry, syncHostsToDatabase } from "./auth/host-registry.ts";
import { systemClock } from "./clock.ts";
import { type Config, ConfigError, loadConfigFromEnvironment } from "./config.ts";
import { createLogger, type Logger } from "./log.ts";
import { createLinkAdapters } from "./oauth/adapters/index.ts";
import { defaultHttpDeps } from "./providers/http.ts";
import { providerSettingsFromConfig } from "./providers/settings.ts";
import { startSandbox } from "./sandbox/index.ts";
import { SandboxStateFileError } from "./sandbox/state-file.ts";
import { type DB, migrateToLatest, openDatabase } from "./store/database.ts";
import { createServerKeys } from "./signin/server-keys.ts";
import { createVault } from "./vault/vault.ts";
import { createWebhookDelivery } from "./webhooks/delivery.ts";
import { createTokenRefresher } from "./accounts/refresh.ts";
import { createSlackNoticeSender } from "./notices/slack-sender.ts";
import { createSlackClient } from "./providers/slack.ts";
import { defaultLeaseMs } from "./interviews/service.ts";
import { applyV8Settings } from "./v8-settings.ts";
import { databaseStartUpError, foreignKeyStartUpError, StartUpError } from "./start-up-errors.ts";
import { answerClientError } from "./http/client-errors.ts";

async function main(): Promise<void> {
  const v8 = applyV8Settings();
  const config = loadConfigFromEnvironment();
  const logger = createLogger({ level: config.logLevel });
  const db = openConfiguredDatabase(config, logger);
  await migrateToLatest(db).catch((error: unknown) => {
    // pg parses the URL only as it connects; its "Invalid URL" named no variable (and the URL holds a password).
    if ((error as { code?: unknown }).code !== "ERR_INVALID_URL") throw databaseStartUpError(error, config) ?? error;
    throw new ConfigError(
      "DATABASE_URL",
      "is not a valid URL: check the port, and percent-encode @ : / ? in the user name and password",
    );
  });
  // A hosts file that cannot be read or is not valid is a wrong setting, refused as the variables are (exit code 2).
  const hosts = await loadHostRegistry(config.hostsFile, { logger }).catch((error: unknown) => {
    throw error instanceof HostsFileError ? new ConfigError("TSUNAGU_HOSTS_FILE", error.message) : error;
  });
  await syncHostsToDatabase(db, hosts, systemClock);

  const sandbox = config.sandbox.enabled
    ? await startSandbox({
        basePort: config.sandbox.basePort,
        logger,
        serverUrl: config.publicUrl,
        stateFile: config.sandbox.stateFile,
        linksInDatabase: config.sandbox.stateFile ? await activeLinks(db) : undefined,
      }).catch((error: unknown) => {
        // Like the hosts file: a state file the setting names that cannot be used is refused with what is wrong in it.
        throw error instanceof SandboxStateFileError ? new ConfigError("TSUNAGU_SANDBOX_STATE", error.message) : error;
      })
    : undefined;
  const providers = sandbox ? sandbox.settings : providerSettingsFromConfig(config);
  // Without one, every element shows "no integrations on this server" and nothing says why.
  if (Object.keys(providers).length === 0)
    logger.warn(
      "no provider app is configured, so there is nothing to link: set a provider's TSUNAGU_<PROVIDER>_CLIENT_ID and " +
        "_SECRET (README, Provider apps), or TSUNAGU_SANDBOX=1 for the fake providers",
    );

  const vault = createVault(config.encryptionKeys);
  // The server's own signing key (Sign in with Slack assertions) is made on first start.
  await createServerKeys({ db, vault, clock: systemClock })
    .ensure()
    .catch((error: unknown) => {
      throw foreignKeyStartUpError(error, config) ?? error;
    });
  const linkAdapters = createLinkAdapters(providers, defaultHttpDeps(systemClock));
  const { app, interviews } = createServerApp({
    config,
    db,
    clock: systemClock,
    logger,
    hosts,
    vault,
    providers,
    linkAdapters,
    sandbox: sandbox?.baseUrls,
    interviewLeaseMs: config.interviewLeaseSeconds && config.interviewLeaseSeconds * 1000,
  });
  // Finishes or undoes interviews a stopped process left half-way: now, then every lease length.
  interviews.recovery.start(config.interviewLeaseSeconds ? config.interviewLeaseSeconds * 1000 : defaultLeaseMs);
  // Sends the outbox's signed webhooks to the portals and its Slack notices; every process runs one (rows are claimed
  // one worker at a time).
  const slackNotices = createSlackNoticeSender({
    db,
    clock: systemClock,
    logger,
    refresher: createTokenRefresher({ db, vault, clock: systemClock, logger }),
    adapters: linkAdapters,
    slack: providers.slack && createSlackClient(providers.slack, defaultHttpDeps(systemClock)),
  });
  const webhooks = createWebhookDelivery({ db, clock: systemClock, logger, hosts, senders: [slackNotices] });
  webhooks.start();
  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    server.off("error", cannotListen);
    logger.info("tsunagu server listening", {
      port: info.port,
      database: config.databaseUrl ? "postgres" : "sqlite",
      sandbox: Boolean(sandbox),
      hosts: hosts.all().length,
      v8,
    });
  });
  // A port another process holds (or one this user may not open) ends the start with a line saying so, as a missing
  // variable does, rather than Node's stack trace of an unhandled 'error' event.
  function cannotListen(error: NodeJS.ErrnoException): void {
    const why =
      error.code === "EADDRINUSE"
        ? "it is already in use (EADDRINUSE); stop what holds it, or set PORT to another port"
        : `${error.message} (${error.code})`;
    process.stderr.write(`tsunagu: cannot start: cannot listen on port ${config.port}: ${why}\n`);
    process.exit(1);
  }
  server.once("error", cannotListen);
  server.on("clientError", answerClientError);

  process.on("SIGHUP", () => {
    hosts
      .reload()
      .then(() => syncHostsToDatabase(db, hosts, systemClock))
      .then(() => logger.info("host registry reloaded", { hosts: hosts.all().length }))
      .catch((error: unknown) => logger.error("host registry reload failed; keeping the previous hosts", { error }));
  });
  const stop = (signal: string) =>
    shutdown(logger, signal, async () => {
      // A keep-alive connection would go on carrying new requests after the listener closed and hold the shutdown
      // open: from now on every answer closes its connection, and connections that fall idle are closed as they do.
      const listener = server as Server;
      listener.prependListener("request", (_request, response) => response.setHeader("connection", "close"));
      const idle = setInterval(() => listener.closeIdleConnections(), 100);
      idle.unref();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(idle);
      await webhooks.stop();
      await interviews.recovery.stop();
      await sandbox?.close();
      await db.destroy();
    });
  // One shutdown, however many signals ask for it: `pnpm demo`'s launcher signals the server's process group and pnpm
  // passes the signal on, so two SIGTERMs come a moment apart, and the second would end the process with the request
  // it was finishing. The shutdown is bounded (10 s); SIGKILL ends it at once.
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return logger.info("already shutting down; the signal is not needed", { signal });
    stopping = true;
    stop(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/**
 * Opening PostgreSQL only makes its pool (connecting fails later, at the migration); opening SQLite makes the
 * directory and the file and writes to it at once. A directory the server cannot create, open or write in is a wrong
 * TSUNAGU_DATA_DIR (exit code 2) named with its path, not SQLite's bare "unable to open database file".
 */
function openConfiguredDatabase(config: Config, logger: Logger): DB {
  try {
    return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  } catch (error) {
    if (config.databaseUrl) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError("TSUNAGU_DATA_DIR", `cannot keep the SQLite database in ${config.dataDir}: ${reason}`);
  }
}

/** Accounts and organisation connections linked and usable, across every host and organisation. */
async function activeLinks(db: DB): Promise<number> {
  const count = async (table: "accounts" | "connections") => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("links"))
      .where("status", "=", "active")
      .executeTakeFirstOrThrow();
    return Number(row.links);
  };
  return (await count("accounts")) + (await count("connections"));
}

function shutdown(logger: Logger, signal: string, close: () => Promise<void>): void {
  logger.info("shutting down", { signal });
  // Said, so that an exit code 1 after a SIGTERM does not leave the operator guessing (the line is written at exit).
  const force = setTimeout(() => {
    logger.error("shutdown did not finish within 10 s; exiting with what was still running", { signal });
    process.exit(1);
  }, 10_000);
  force.unref();
  close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error("shutdown failed", { error });
      process.exit(1);
    },
  );
}

main().catch((error: unknown) => {
  // A wrong setting (exit code 2) is told apart from any other failure to start (exit code 1), as the CLI does.
  if (error instanceof ConfigError) {
    process.stderr.write(`tsunagu: cannot start: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof StartUpError) {
    process.stderr.write(`tsunagu: cannot start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`tsunagu: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

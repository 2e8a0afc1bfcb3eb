/**
 * The environment that starts a real server process (`src/main.ts`, or the built bundle) on a test app's
 * organisation: its database, hosts file and encryption key, and the Google, Microsoft and Zoom fakes it was linked
 * through. The real-kill crash tests (test/interviews/crash-rig.ts) and the benches that measure the server as in
 * production (bench/support/calendar-org.ts) build their processes from it.
 *
 * The database is the test app's: on PostgreSQL the same schema (search_path in the connection URL), so the process
 * sees every later write; on SQLite a copy made with VACUUM INTO (a file one connection may not share), which holds
 * what the app had written when the environment was made.
 */
import { join } from "node:path";
import { sql } from "kysely";
import { googleSandboxEndpoints } from "../../src/sandbox/google/index.ts";
import { microsoftSandboxEndpoints } from "../../src/sandbox/microsoft/index.ts";
import { zoomSandboxEndpoints } from "../../src/sandbox/zoom/index.ts";
import { testDatabaseUrl } from "./database.ts";
import type { TestApp } from "./test-app.ts";

export type ServerEnvironment = Record<string, string | undefined>;

/** The environment of a server process on `t`'s database (copied into `dataDir` on SQLite) and fakes. */
export async function serverEnvironment(
  t: TestApp<"google" | "microsoft" | "zoom">,
  dataDir: string,
): Promise<ServerEnvironment> {
  let databaseUrl: string | undefined;
  if (testDatabaseUrl) {
    const url = new URL(testDatabaseUrl);
    url.searchParams.set("options", `-c search_path=${t.databaseOptions.postgresSchema}`);
    databaseUrl = url.toString();
  } else {
    await sql`vacuum into ${join(dataDir, "tsunagu.sqlite")}`.execute(t.db);
  }
  return {
    TSUNAGU_HOSTS_FILE: t.hostsFile.file,
    TSUNAGU_ENCRYPTION_KEYS: `test:${Buffer.from(t.encryptionKey.key).toString("base64url")}`,
    DATABASE_URL: databaseUrl,
    TSUNAGU_DATA_DIR: dataDir,
    TSUNAGU_GOOGLE_CLIENT_ID: t.google.context.clientId,
    TSUNAGU_GOOGLE_CLIENT_SECRET: t.google.context.clientSecret,
    TSUNAGU_MICROSOFT_CLIENT_ID: t.microsoft.context.clientId,
    TSUNAGU_MICROSOFT_CLIENT_SECRET: t.microsoft.context.clientSecret,
    TSUNAGU_ZOOM_CLIENT_ID: t.zoom.running.context.clientId,
    TSUNAGU_ZOOM_CLIENT_SECRET: t.zoom.running.context.clientSecret,
    TSUNAGU_PROVIDER_ENDPOINTS: JSON.stringify({
      google: googleSandboxEndpoints(t.google.baseUrl),
      microsoft: microsoftSandboxEndpoints(t.microsoft.baseUrl),
      zoom: zoomSandboxEndpoints(t.zoom.running.baseUrl),
    }),
  };
}

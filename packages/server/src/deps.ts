/**
 * What the app is built from. Everything with side effects is injected, so
 * tests build the real app over a test database, a fixed clock and a silent log.
 */
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";
import type { DB } from "./store/database.ts";
import type { HostRegistry } from "./auth/host-registry.ts";
import type { Vault } from "./vault/vault.ts";
import type { LinkAdapters } from "./oauth/provider-link.ts";
import type { ProviderSettings } from "./providers/settings.ts";
import type { InterviewObserver } from "./interviews/ports.ts";

export interface AppDeps {
  config: Pick<Config, "publicUrl"> & Partial<Pick<Config, "benchRoutes" | "elementsDir">>;
  db: DB;
  clock: Clock;
  logger: Logger;
  hosts: HostRegistry;
  vault: Vault;
  providers: ProviderSettings;
  /** Provider adapters for linking; a provider without one is not offered. */
  linkAdapters: LinkAdapters;
  /** Base URL of each fake provider when the sandbox is mounted. */
  sandbox?: Record<string, string> | undefined;
  /** Told of every settled interview change inside its transaction (Slack notices, webhooks); none by default. */
  interviewObservers?: readonly InterviewObserver[] | undefined;
  /** How long an interview's saga lease lasts without renewal (interviews/service.ts's default otherwise). */
  interviewLeaseMs?: number | undefined;
}

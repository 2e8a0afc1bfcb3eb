/**
 * Versioned migrations, applied in name order. A capability adds its tables
 * with a new file here; existing files never change once released.
 */
import type { Migration, MigrationProvider } from "kysely";
import * as core from "./0001_core.ts";
import * as accounts from "./0002_accounts.ts";
import * as flowSteps from "./0003_oauth_flow_steps.ts";
import * as webhooks from "./0004_webhooks.ts";
import * as signin from "./0005_signin.ts";
import * as grantOrder from "./0006_grant_order.ts";
import * as beginSecret from "./0007_oauth_begin_secret.ts";
import * as zoomHosts from "./0008_zoom_hosts.ts";
import * as flowLocale from "./0009_oauth_flow_locale.ts";
import * as workingHours from "./0010_working_hours.ts";
import * as messageTemplates from "./0011_message_templates.ts";
import * as interviews from "./0012_interviews.ts";
import * as schedulingLinks from "./0013_scheduling_links.ts";
import * as organisationLocale from "./0014_organisation_locale.ts";
import * as outboxSequences from "./0015_outbox_sequences.ts";
import * as userProfileIssuedAt from "./0016_user_profile_issued_at.ts";
import * as canonicalTimeZones from "./0017_canonical_time_zones.ts";
import * as schedulingLinkBlocked from "./0018_scheduling_link_blocked.ts";

const migrations: Record<string, Migration> = {
  "0001_core": core,
  "0002_accounts": accounts,
  "0003_oauth_flow_steps": flowSteps,
  "0004_webhooks": webhooks,
  "0005_signin": signin,
  "0006_grant_order": grantOrder,
  "0007_oauth_begin_secret": beginSecret,
  "0008_zoom_hosts": zoomHosts,
  "0009_oauth_flow_locale": flowLocale,
  "0010_working_hours": workingHours,
  "0011_message_templates": messageTemplates,
  "0012_interviews": interviews,
  "0013_scheduling_links": schedulingLinks,
  "0014_organisation_locale": organisationLocale,
  "0015_outbox_sequences": outboxSequences,
  "0016_user_profile_issued_at": userProfileIssuedAt,
  "0017_canonical_time_zones": canonicalTimeZones,
  "0018_scheduling_link_blocked": schedulingLinkBlocked,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

import type { Kysely } from "kysely";

/** What this migration reads and writes, as the tables stand at this migration. */
export interface ZonesAtThisMigration {
  users: { time_zone: string | null };
  working_hours: { time_zone: string | null };
  interviews: { id: string; time_zone: string; candidate: string };
  scheduling_links: { id: string; offer: string; interview: string | null; claimed_start: string | null };
}

/**
 * Time zones stored before the server spelled them as Intl does on input
 * (src/time-zone.ts): a zone typed `asia/tokyo` was kept so, and from the rows
 * it reached the API's answers, the times of Slack notices and of the
 * candidate's page ("(asia/tokyo)", and a zone list holding it as an extra
 * entry), the zone sent to Google, Microsoft and Zoom when an interview moves,
 * and the interviews booked from a link offered then. Each stored zone is
 * spelled as Intl spells it: users' zones from their host tokens, working hours
 * (the organisation's and each person's), interviews (theirs and the
 * candidate's), scheduling links (the offer's zone and candidate's, and the
 * interview booked). A zone Intl does not know, or an alias (which Intl names
 * otherwise, not just in other letters), stays as stored, as on input.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await canonicaliseStoredZones(db as Kysely<ZonesAtThisMigration>);
}

export async function canonicaliseStoredZones(db: Kysely<ZonesAtThisMigration>): Promise<void> {
  const mend = zoneMender();
  for (const table of ["users", "working_hours", "interviews"] as const) {
    const stored = await db
      .selectFrom(table)
      .select("time_zone")
      .distinct()
      .where("time_zone", "is not", null)
      .execute();
    for (const { time_zone: zone } of stored) {
      const mended = zone === null ? undefined : mend(zone);
      if (mended) await db.updateTable(table).set({ time_zone: mended }).where("time_zone", "=", zone).execute();
    }
  }

  const candidates = await db
    .selectFrom("interviews")
    .select(["id", "candidate"])
    .where("candidate", "like", '%"timeZone"%')
    .execute();
  for (const row of candidates) {
    const candidate = mendedJson(row.candidate, mend, [["timeZone"]]);
    if (candidate) await db.updateTable("interviews").set({ candidate }).where("id", "=", row.id).execute();
  }

  const links = await db.selectFrom("scheduling_links").select(["id", "offer", "interview", "claimed_start"]).execute();
  for (const row of links) {
    // A pick under way books under an Idempotency-Key whose request hash holds the offer's candidate as stored: its
    // next try must ask with the same candidate, or it is refused (idempotency_key_reused) instead of answered.
    const pickUnderWay = row.claimed_start !== null && row.interview === null;
    const offer = mendedJson(
      row.offer,
      mend,
      pickUnderWay ? [["timeZone"]] : [["timeZone"], ["candidate", "timeZone"]],
    );
    const interview = row.interview && mendedJson(row.interview, mend, [["timeZone"], ["candidate", "timeZone"]]);
    if (offer || interview)
      await db
        .updateTable("scheduling_links")
        .set({ ...(offer && { offer }), ...(interview && { interview }) })
        .where("id", "=", row.id)
        .execute();
  }
}

/**
 * Intl's spelling of a zone that differs from it only in letter case; undefined when there is nothing to mend (the
 * spelling is Intl's already, the name is an alias Intl resolves to another name, or Intl does not know it). Written
 * out as src/time-zone.ts spelled zones when this migration was written: a migration keeps what it did.
 */
function zoneMender(): (zone: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (zone) => {
    if (!known.has(zone)) known.set(zone, intlSpelling(zone));
    return known.get(zone);
  };
}

function intlSpelling(zone: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return resolved !== zone && resolved.toLowerCase() === zone.toLowerCase() ? resolved : undefined;
}

/** The JSON text with the zones at `paths` mended, or undefined when none changed (or the text is not an object). */
function mendedJson(
  text: string,
  mend: (zone: string) => string | undefined,
  paths: Array<[string] | [string, string]>,
): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not written by this server: left as it is, as every other value this migration does not know.
    return undefined;
  }
  let changed = false;
  for (const path of paths) {
    const holder = path.length === 1 ? value : field(value, path[0]);
    const name = path.at(-1) as string;
    const zone = field(holder, name);
    const mended = typeof zone === "string" ? mend(zone) : undefined;
    if (mended) {
      (holder as Record<string, unknown>)[name] = mended;
      changed = true;
    }
  }
  return changed ? JSON.stringify(value) : undefined;
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/**
 * IANA time zones as requests name them. Intl takes a name in any letter case
 * (`asia/tokyo`, `ASIA/TOKYO`), so every zone we accept is kept and answered
 * in the spelling Intl resolves it to (`Asia/Tokyo`): what we store, answer,
 * show on the candidate's page and send to Google, Microsoft and Zoom is never
 * the caller's lowercase. Only the letter case is mended: an alias stays the
 * name the caller chose (`Asia/Kolkata`, which Node 20's Intl resolves to the
 * older `Asia/Calcutta`; `US/Pacific`). Which names are accepted is Intl's
 * call, unchanged.
 */
import { z } from "zod";

/** Zones the runtime lists, each its own canonical spelling: the common case costs one Set lookup. */
const listedZones = new Set(Intl.supportedValuesOf("timeZone"));

/**
 * Every other name asked about (another letter case, an alias such as "Etc/UTC" or "US/Pacific", an unknown name),
 * by its exact text, with its spelling (resolvedZone) or null when Intl refuses it. Building a DateTimeFormat was the
 * largest cost of verifying a host token (bench/host-token.bench.ts, issue 15), so it is built once per name. Bounded:
 * the candidate's page takes any `?tz=`; past the bound the oldest name is forgotten.
 */
const otherNames = new Map<string, string | null>();
const maxOtherNames = 1000;
/** No IANA name is near this long (the longest has 32 characters); a longer text is refused before it is kept. */
const maxNameLength = 64;

/** The canonical spelling of an IANA zone Intl knows, in any letter case; undefined for a name it refuses. */
export function canonicalTimeZone(zone: string): string | undefined {
  if (listedZones.has(zone)) return zone;
  if (zone.length > maxNameLength) return undefined;
  let canonical = otherNames.get(zone);
  if (canonical === undefined) {
    canonical = resolvedZone(zone);
    if (otherNames.size >= maxOtherNames) otherNames.delete(otherNames.keys().next().value as string);
    otherNames.set(zone, canonical);
  }
  return canonical ?? undefined;
}

function resolvedZone(zone: string): string | null {
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    // Intl's spelling of the same name; an alias (resolved to another name) as written.
    return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** A zone in a request: accepted as Intl accepts it, handed on in its canonical spelling; else `message`. */
export function timeZoneField(message: string) {
  return z
    .string()
    .max(maxNameLength)
    .transform((zone, context) => {
      const canonical = canonicalTimeZone(zone);
      if (canonical !== undefined) return canonical;
      context.issues.push({ code: "custom", message, input: zone });
      return z.NEVER;
    });
}

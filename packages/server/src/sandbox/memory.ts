/**
 * A fake provider's memory as plain JSON, for the sandbox's state file
 * (state-file.ts): what it saves, and the schema that checks what is read
 * back before any of it is taken. Seeded people are saved by their id or
 * address and found again in the seed, so a file naming someone the seed no
 * longer has does not load. The schemas check what the fakes read and answer
 * with (times, zones, the fields of an event), not only the shape: the file
 * can be edited by hand, and a value the fake would serve as it is ("not a
 * date" as an event's start) is refused here rather than met by a client.
 */
import { z } from "zod";
import { isKnownZone } from "../providers/zone-offset.ts";

export interface FakeMemory {
  /** The fake's state now, as plain JSON. */
  save(): unknown;
  /** Checks saved state: what is wrong with it and where, or what takes it in (replacing the fake's state). */
  check(saved: unknown): { ok: true; load(): void } | { ok: false; problems: SavedStateProblem[] };
}

/** One thing wrong in saved state: where (keys and list indexes from the state's root) and what. */
export interface SavedStateProblem {
  path: PropertyKey[];
  message: string;
}

/** A memory whose saved form is `Saved` and whose checked form, seeded people found again, is `Loaded`. */
export function fakeMemory<Saved, Loaded>(parts: {
  schema: z.ZodType<Loaded, Saved>;
  save(): Saved;
  load(state: Loaded): void;
}): FakeMemory {
  return {
    save: () => parts.save(),
    check(saved) {
      const parsed = parts.schema.safeParse(saved);
      if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
      return { ok: true, load: () => parts.load(parsed.data) };
    },
  };
}

export function problemsOf(error: z.ZodError): SavedStateProblem[] {
  return error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

/** A seeded person (or account, user, member) saved by a key and found again in the seed. */
export function seedReference<T>(what: string, find: (key: string) => T | undefined) {
  return z.string().transform((key, context): T => {
    const found = find(key);
    if (found !== undefined) return found;
    context.addIssue({ code: "custom", message: `the sandbox has no ${what} ${key}` });
    return z.NEVER;
  });
}

/** A time saved as an ISO string (Date's toISOString). */
export const savedTime = z.iso
  .datetime({ message: "not a time such as 2031-04-07T01:00:00.000Z" })
  .transform((text) => new Date(text));

/** A time a fake wrote in an event as its provider does (any ISO 8601 form with an offset); the text is kept. */
export const savedDateTimeText = z.iso.datetime({
  offset: true,
  local: false,
  message: "not a time such as 2031-04-07T10:00:00+09:00",
});

/** An IANA time zone name this Node knows (the fakes format times in it). */
export const savedTimeZone = z
  .string()
  .refine((zone) => isKnownZone(zone), "not a time zone this Node knows, such as Asia/Tokyo");

/** A number that may be Infinity in memory, saved as null (JSON has no Infinity). */
export const savedExpiry = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.POSITIVE_INFINITY);
export const saveExpiry = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * A fake provider's memory as plain JSON, for the sandbox's state file
 * (state-file.ts): what it saves, and the schema that checks what is read
 * back before any of it is taken. Seeded people are saved by their id or
 * address and found again in the seed, so a file naming someone the seed no
 * longer has does not load.
 */
import { z } from "zod";

export interface FakeMemory {
  /** The fake's state now, as plain JSON. */
  save(): unknown;
  /** Checks saved state: what the schema says is wrong with it, or what takes it in (replacing the fake's state). */
  check(saved: unknown): { ok: true; load(): void } | { ok: false; problem: string };
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
      if (!parsed.success) return { ok: false, problem: describeIssue(parsed.error) };
      return { ok: true, load: () => parts.load(parsed.data) };
    },
  };
}

/** The first issue, where it is: enough for a log line. */
export function describeIssue(error: z.ZodError): string {
  const [issue] = error.issues;
  if (!issue) return "not valid";
  return issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
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
export const savedTime = z.iso.datetime().transform((text) => new Date(text));

/** A number that may be Infinity in memory, saved as null (JSON has no Infinity). */
export const savedExpiry = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.POSITIVE_INFINITY);
export const saveExpiry = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * Hand-written checks of a provider answer's exact shape, for the answers
 * read in bulk: availability reads one free/busy answer per calendar account
 * and request (50 accounts × 60 days is about a megabyte of JSON), and a zod
 * pass over every busy interval, then a Date per instant, cost more than the
 * JSON.parse itself (bench/profile-availability.ts). A check refuses what its
 * zod schema refuses (the schema stays beside it as the reference, and the
 * tests hold both to the same bodies); it returns the answer already in the
 * form the caller computes with (instants as epoch milliseconds).
 *
 * A check plugs into the one request path (http.ts) through the same
 * `safeParse` a zod schema has, so a refused answer becomes the same
 * `ProviderResponseError` (`invalid_response`), naming the first bad field.
 */
import type { AnswerSchema } from "./http.ts";

/** Thrown by a check's reader at the first field out of shape; `answerCheck` turns it into a failed parse. */
export class ShapeMismatch extends Error {
  constructor(
    readonly path: PropertyKey[],
    message: string,
  ) {
    super(message);
  }
}

/** A reader that throws `ShapeMismatch` as a `safeParse`. */
export function answerCheck<T>(read: (body: unknown) => T): AnswerSchema<T> {
  return {
    safeParse(body) {
      try {
        return { success: true, data: read(body) };
      } catch (error) {
        if (!(error instanceof ShapeMismatch)) throw error;
        return { success: false, error: { issues: [{ path: error.path, message: error.message }] } };
      }
    },
  };
}

/** A JSON object (what zod's `z.object` and `z.record` take): not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function mismatch(path: PropertyKey[], expected: string, value: unknown): never {
  const got = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  throw new ShapeMismatch(path, `expected ${expected}, received ${got}`);
}

/** `value` when it is a string, or undefined/null where `nullish` allows them (zod's `.nullish()`). */
export function optionalString(
  value: unknown,
  path: () => PropertyKey[],
  nullish: "optional" | "nullish",
): string | null | undefined {
  if (value === undefined || typeof value === "string" || (value === null && nullish === "nullish")) return value;
  return mismatch(path(), nullish === "nullish" ? "a string, null or nothing" : "a string or nothing", value);
}

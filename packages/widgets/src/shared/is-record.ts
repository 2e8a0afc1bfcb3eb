/**
 * A module of its own so that a chunk loaded later (integration-accounts/link-steps.ts) shares it with the
 * page's code without pulling in the rest of api-error.ts.
 */

/** A JSON object (not an array, not null): what every reader of an answer checks first. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

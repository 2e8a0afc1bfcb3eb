/**
 * `Retry-After` comes in three shapes across our providers: seconds, possibly
 * fractional (Graph's sample shows "2.128"), an HTTP date (RFC 9110), and an
 * ISO 8601 date-time (Zoom's daily-limit 429s). Returns milliseconds to wait.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

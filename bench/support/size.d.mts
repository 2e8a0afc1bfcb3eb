/**
 * The types of size.mjs, which stays plain JavaScript so that the size budget test runs it under `node --test`
 * (scripts/size-budget.test.mjs) as `pnpm bench` does.
 */

/** Bytes of one bundle, or the sum over the files a page fetches: minified, then gzip (9) and brotli (11). */
export interface Size {
  min: number;
  gzip: number;
  brotli: number;
}

/** The elements that have a registering module, by tag name. */
export function elementNames(): string[];

/**
 * Every figure, keyed `<what> <with|without> Lit, <Japanese only|both languages>` for what a page fetches up
 * front, and `<what> with Lit, <…>, with the lazy chunks` for everything it may fetch; bytes.
 */
export function measureSizes(): Promise<Record<string, Size>>;

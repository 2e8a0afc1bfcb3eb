/**
 * Which language tables the page has fetched so far (`ja.ts`, `ja-errors.ts`, `ja-later.ts`…), in fetch order, from
 * the browser's resource timing: the tests of lazy locale chunks check what a step pulls in, and what it does not.
 */
export const fetchedTables = (): string[] =>
  performance
    .getEntriesByType("resource")
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => /\/shared\/locales\/(ja|en)(-\w+)?\.ts$/.test(path))
    .map((path) => path.replace(/^.*\/locales\//, ""));

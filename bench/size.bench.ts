/**
 * Size: each element's registering module and all of them together, min,
 * min+gzip and min+brotli, with and without Lit, with the Japanese table alone
 * and with both, up front and with the chunks loaded later (bench/support/size.mjs),
 * against Lit alone. Writes bench/size-budget.json, the figures the budget
 * test in `pnpm test` (scripts/size-budget.test.mjs) holds the tree to:
 * commit it when sizes drop, and a growth of more than 5 % fails the tests.
 */
import { writeFileSync } from "node:fs";
import { reportSection } from "./support/report.ts";
import { measureSizes } from "./support/size.mjs";

const figures = await measureSizes();
const lit = figures["Lit alone (baseline)"];
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const rows = Object.entries(figures).map(
  ([name, size]) =>
    `| ${name} | ${kb(size.min)} | ${kb(size.gzip)} | ${kb(size.brotli)} | ` +
    `${(size.gzip / (lit?.gzip ?? 1)).toFixed(1)} |`,
);
reportSection(
  "size",
  [
    "## Size of the elements (esbuild, minified; KB)",
    "",
    "Each element's registering module bundled as a portal's bundler would (bench/support/size.mjs, esbuild with",
    "code splitting): each language table is a chunk loaded when an element speaks it, so a Japanese page fetches",
    "the Japanese one alone. Sums over the files a page fetches, each compressed on its own. A row without more",
    'is what a page fetches up front to show the elements; "with the lazy chunks" adds the chunks fetched when',
    "first needed (each language's error messages on the first error and the terms of the steps after the first",
    "screen when one begins: a summary, a result, a dialog, a link under way; what a link needs once it starts;",
    "the candidate's message after a booking). Budget: bench/size-budget.json, checked by `pnpm test` (more than",
    "5 % over it fails).",
    "",
    "| module | min | min+gzip | min+brotli | gzip × Lit alone |",
    "|---|---:|---:|---:|---:|",
    ...rows,
  ].join("\n"),
);
writeFileSync(new URL("./size-budget.json", import.meta.url), `${JSON.stringify(figures, null, 2)}\n`);

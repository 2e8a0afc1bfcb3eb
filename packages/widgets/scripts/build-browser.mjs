#!/usr/bin/env node
// The one-file build, for pages without a bundler: one ES module per element and one with all of them, Lit and
// both language tables included, minified, into dist/browser/<version>/. A page loads one with
// <script type="module" src="…/integration-accounts.js">, from its own origin or from the Tsunagu server
// (README, "Without a bundler"). Run by `pnpm build` after tsc.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { minifyTemplatesPlugin } from "./minify-templates.mjs";

const root = new URL("..", import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const src = join(root, "src");
const elements = readdirSync(src, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(src, entry.name, "define.ts")))
  .map((entry) => entry.name)
  .sort();
const outdir = join(root, "dist/browser", version);

const entries = [
  ...elements.map((name) => ({ name, contents: `import "./${name}/define.ts";` })),
  { name: "tsunagu-elements", contents: elements.map((name) => `import "./${name}/define.ts";`).join("\n") },
];
for (const entry of entries) {
  await build({
    stdin: { contents: entry.contents, resolveDir: src, loader: "ts", sourcefile: `${entry.name}.ts` },
    bundle: true,
    // No code splitting: the language tables' dynamic imports are inlined, so each is one file.
    format: "esm",
    minify: true,
    target: "es2022",
    legalComments: "eof",
    // Japanese as UTF-8 text, half the size of \u escapes; module scripts are always decoded as UTF-8.
    charset: "utf8",
    tsconfig: join(root, "tsconfig.json"),
    outfile: join(outdir, `${entry.name}.js`),
    logLevel: "warning",
    // The templates minified as in dist/ (scripts/minify-templates.mjs).
    plugins: [minifyTemplatesPlugin()],
  });
}
console.log(`one-file modules in dist/browser/${version}: ${entries.map((entry) => `${entry.name}.js`).join(", ")}`);

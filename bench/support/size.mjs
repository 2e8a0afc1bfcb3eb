// What the elements weigh in a page: each element's registering module
// (packages/widgets/src/<element>/define.ts), and all of them together,
// bundled and minified by esbuild as a portal's bundler would, then gzip
// (level 9) and brotli (quality 11). With Lit bundled, and with Lit left to
// the page (a portal that already ships Lit pays only the rest). Lit alone
// (one trivial LitElement) is the baseline the figures are read against.
// Plain JavaScript so that both `pnpm bench` and the budget test under
// `node --test` use the very same measurement.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";

const widgets = new URL("../../packages/widgets/", import.meta.url).pathname;
const litExternal = ["lit", "lit/*", "lit-html", "lit-html/*", "lit-element", "lit-element/*", "@lit/*"];

/** The elements that have a registering module, by tag name. */
export function elementNames() {
  const src = join(widgets, "src");
  return readdirSync(src, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(src, entry.name, "define.ts")))
    .map((entry) => entry.name)
    .sort();
}

async function bundle(contents, withLit) {
  const result = await build({
    stdin: { contents, resolveDir: join(widgets, "src"), loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    write: false,
    legalComments: "none",
    tsconfig: join(widgets, "tsconfig.json"),
    external: withLit ? [] : litExternal,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0].contents;
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Every figure, keyed `<what> <with|without> Lit`; bytes. */
export async function measureSizes() {
  const names = elementNames();
  const entries = [
    ...names.map((name) => [name, `import "./${name}/define.ts";`]),
    ...(names.length > 1 ? [["all elements", names.map((name) => `import "./${name}/define.ts";`).join("\n")]] : []),
  ];
  const figures = {};
  figures["Lit alone (baseline)"] = await bundle(
    `import { LitElement, html } from "lit";\ncustomElements.define("x-baseline", class extends LitElement { render() { return html\`<p>hi</p>\`; } });`,
    true,
  );
  for (const [name, contents] of entries) {
    figures[`${name} with Lit`] = await bundle(contents, true);
    figures[`${name} without Lit`] = await bundle(contents, false);
  }
  return figures;
}

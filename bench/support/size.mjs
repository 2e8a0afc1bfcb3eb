// What the elements weigh in a page: each element's registering module
// (packages/widgets/src/<element>/define.ts), and all of them together,
// bundled and minified by esbuild as a portal's bundler would, then gzip
// (level 9) and brotli (quality 11). With Lit bundled, and with Lit left to
// the page (a portal that already ships Lit pays only the rest); with the one
// language table a page shows (each table is a chunk of its own, loaded when
// an element speaks it) and with both. Each file a browser fetches is
// compressed on its own, so a figure is the sum over the files it needs. Up front: the files the page fetches
// before the elements show, the entry's static imports and the language table; chunks loaded later (the error
// messages, fetched on the first error; the terms of the later steps, fetched when one begins: a summary, a result,
// a dialog, a link under way) are counted in the figures marked "with the lazy chunks".
// Lit alone (one trivial LitElement) is the baseline the figures are read against.
// Plain JavaScript so that both `pnpm bench` and the budget test under
// `node --test` use the very same measurement.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";
import { minifyTemplatesPlugin } from "../../packages/widgets/scripts/minify-templates.mjs";

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

const compressed = (bytes) => ({
  min: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const sum = (sizes) =>
  sizes.reduce(
    (total, size) => ({ min: total.min + size.min, gzip: total.gzip + size.gzip, brotli: total.brotli + size.brotli }),
    { min: 0, gzip: 0, brotli: 0 },
  );

/**
 * The bundle's files, each with its sizes, the language it speaks, if any (a table of terms or of error
 * messages), and whether the page fetches it up front: statically imported by the entry, or a table of terms
 * (an element awaits its table before its first frame), with their own static imports.
 */
async function bundle(contents, withLit) {
  const outdir = mkdtempSync(join(tmpdir(), "tsunagu-size-"));
  try {
    const result = await build({
      stdin: { contents, resolveDir: join(widgets, "src"), loader: "ts", sourcefile: "entry.ts" },
      bundle: true,
      splitting: true,
      outdir,
      minify: true,
      format: "esm",
      target: "es2022",
      write: false,
      metafile: true,
      legalComments: "none",
      // Japanese as UTF-8 text, not \u escapes (module scripts are always decoded as UTF-8): a portal's
      // bundler set up for a Japanese page does the same.
      charset: "utf8",
      tsconfig: join(widgets, "tsconfig.json"),
      external: withLit ? [] : litExternal,
      // The templates as `pnpm build` publishes them (packages/widgets/scripts/minify-templates.mjs).
      plugins: [minifyTemplatesPlugin()],
      logLevel: "silent",
    });
    // The metafile names outputs relative to the working directory; the file names are unique. Chunks loaded by
    // `import()` are entry points too: the page's own is `entry.ts`.
    const outputs = new Map(Object.entries(result.metafile.outputs).map(([path, output]) => [basename(path), output]));
    const localeOf = (name, pattern) =>
      Object.keys(outputs.get(name)?.inputs ?? {})
        .map((input) => pattern.exec(input)?.[1])
        .find(Boolean);
    const upFront = new Set();
    const fetch = (name) => {
      if (upFront.has(name)) return;
      upFront.add(name);
      for (const imported of outputs.get(name)?.imports ?? [])
        if (imported.kind === "import-statement") fetch(basename(imported.path));
    };
    for (const [name, output] of outputs)
      if (output.entryPoint?.endsWith("entry.ts") || localeOf(name, termsTable)) fetch(name);
    return result.outputFiles.map((file) => {
      const name = basename(file.path);
      const locale = localeOf(name, termsTable) ?? localeOf(name, lazyTable);
      return { locale, upFront: upFront.has(name), ...compressed(file.contents) };
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const termsTable = /shared\/locales\/(ja|en)\.ts$/;
/** A language's chunks loaded when first needed: its error messages, and the terms of the later steps. */
const lazyTable = /shared\/locales\/(ja|en)-(?:errors|later)\.ts$/;

/**
 * Every figure, keyed `<what> <with|without> Lit, <Japanese only|both languages>` for what a page fetches up
 * front, and `<what> with Lit, <…>, with the lazy chunks` for everything it may fetch; bytes.
 */
export async function measureSizes() {
  const names = elementNames();
  const entries = [
    ...names.map((name) => [name, `import "./${name}/define.ts";`]),
    ...(names.length > 1 ? [["all elements", names.map((name) => `import "./${name}/define.ts";`).join("\n")]] : []),
  ];
  const figures = {};
  figures["Lit alone (baseline)"] = sum(
    await bundle(
      `import { LitElement, html } from "lit";\ncustomElements.define("x-baseline", class extends LitElement { ` +
        `render() { return html\`<p>hi</p>\`; } });`,
      true,
    ),
  );
  for (const [name, contents] of entries) {
    for (const withLit of [true, false]) {
      const files = await bundle(contents, withLit);
      const lit = withLit ? "with Lit" : "without Lit";
      const japanese = files.filter((file) => file.locale !== "en");
      figures[`${name} ${lit}, Japanese only`] = sum(japanese.filter((file) => file.upFront));
      figures[`${name} ${lit}, both languages`] = sum(files.filter((file) => file.upFront));
      if (!withLit) continue;
      figures[`${name} ${lit}, Japanese only, with the lazy chunks`] = sum(japanese);
      figures[`${name} ${lit}, both languages, with the lazy chunks`] = sum(files);
    }
  }
  return figures;
}

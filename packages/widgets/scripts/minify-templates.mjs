#!/usr/bin/env node
// Lit's templates are strings a minifier leaves alone: every `html` template keeps its indentation and every `css`
// one its comments and layout, in each page that loads the elements. This takes them out of the published code
// without changing what a browser renders:
// - `css`: comments dropped, each run of white space one space, none beside `{`, `}` and `;` nor at the ends.
// - `html`: the indentation after each line break dropped (the line break alone is white space as before); a
//   template with a `<pre>` or `<textarea>` is left as written.
// `pnpm build` runs it on dist/ after tsc (`node scripts/minify-templates.mjs dist`); the one-file build and the
// size bench (bench/support/size.mjs) load the sources through `minifyTemplatesPlugin`, so their figures are the
// published code's. Templates are found by parsing (acorn): only the text of a template tagged `html` or `css`
// changes, never its expressions, strings or comments elsewhere.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "acorn";
import { transform } from "esbuild";

/** `source` (JavaScript, an ES module) with its `html` and `css` templates' text minified. */
export function minifyTemplates(source) {
  const edits = [];
  visit(parse(source, { ecmaVersion: "latest", sourceType: "module" }), (node) => {
    if (node.type !== "TaggedTemplateExpression" || node.tag.type !== "Identifier") return;
    const kind = node.tag.name;
    if (kind !== "html" && kind !== "css") return;
    const texts = node.quasi.quasis;
    if (kind === "html" && texts.some((text) => /<(pre|textarea)\b/i.test(text.value.raw))) return;
    texts.forEach((text, index) => {
      const raw = source.slice(text.start, text.end);
      const minified = kind === "css" ? minifyCss(raw, index === 0, index === texts.length - 1) : minifyHtml(raw);
      if (minified !== raw) edits.push({ start: text.start, end: text.end, text: minified });
    });
  });
  edits.sort((a, b) => a.start - b.start);
  let output = "";
  let index = 0;
  for (const edit of edits) {
    output += source.slice(index, edit.start) + edit.text;
    index = edit.end;
  }
  return output + source.slice(index);
}

/** White space at the template's very start and end goes too; beside an expression one space stays. */
function minifyCss(text, first, last) {
  const minified = text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s+/g, " ")
    .replace(/ ?([{};]) ?/g, "$1");
  return (first ? minified.trimStart() : minified).replace(last ? /\s+$/ : /$^/, "");
}

function minifyHtml(text) {
  return text.replace(/\n[ \t]+/g, "\n");
}

/** Calls `enter` on every node of an ESTree tree. */
function visit(node, enter) {
  enter(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === "string") visit(child, enter);
    } else if (value && typeof value.type === "string") visit(value, enter);
  }
}

/** An esbuild plugin that loads the widgets' TypeScript sources with their templates minified. */
export function minifyTemplatesPlugin() {
  return {
    name: "minify-templates",
    setup(build) {
      build.onLoad({ filter: /[\\/]packages[\\/]widgets[\\/]src[\\/].*\.ts$/ }, async (args) => {
        const { code } = await transform(readFileSync(args.path, "utf8"), {
          loader: "ts",
          format: "esm",
          target: "es2022",
          sourcefile: args.path,
          // As tsconfig.json compiles them (class fields assigned in the constructor, imports kept as written).
          tsconfigRaw: {
            compilerOptions: {
              useDefineForClassFields: false,
              experimentalDecorators: true,
              verbatimModuleSyntax: true,
            },
          },
        });
        return { contents: minifyTemplates(code), loader: "js" };
      });
    },
  };
}

function rewriteFolder(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) rewriteFolder(path);
    else if (name.endsWith(".js")) writeFileSync(path, minifyTemplates(readFileSync(path, "utf8")));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const folder = process.argv[2];
  if (!folder) throw new Error("usage: node scripts/minify-templates.mjs <folder of built .js files>");
  rewriteFolder(folder);
}

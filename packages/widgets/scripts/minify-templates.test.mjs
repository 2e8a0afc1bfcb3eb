// The published templates' minification (minify-templates.mjs): what it takes out of `html` and `css` templates,
// what it leaves alone, and, over every source of the elements, that nothing but template white space and CSS
// comments changes (the two programs parse to the same tree, template text compared with its white space
// normalised).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "acorn";
import { transform } from "esbuild";
import { minifyTemplates } from "./minify-templates.mjs";

const src = new URL("../src/", import.meta.url).pathname;

/** JavaScript source from lines, written with `#{` for a template's `${` (a `${` in a string is a lint finding). */
const js = (...lines) => lines.join("\n").replaceAll("#{", "${");

describe("minifyTemplates", () => {
  it("drops a css template's comments and layout", () => {
    const source = js(
      "const s = css`",
      "  /* why */",
      "  :host {",
      "    display: block;",
      "    gap: calc(1px + 2px);",
      "  }",
      "`;",
    );
    assert.equal(minifyTemplates(source), "const s = css`:host{display: block;gap: calc(1px + 2px);}`;");
  });

  it("drops an html template's indentation, in nested templates too, and keeps its expressions as written", () => {
    const source = js(
      "const t = html`<ul>",
      '    #{items.map((item) => html`<li title="a  b">',
      "        #{item}</li>`)}",
      "  </ul>`;",
    );
    assert.equal(
      minifyTemplates(source),
      js("const t = html`<ul>", '#{items.map((item) => html`<li title="a  b">', "#{item}</li>`)}", "</ul>`;"),
    );
  });

  it("leaves a template with <pre>, untagged templates, strings and comments as they are", () => {
    const source = js(
      "const a = html`<pre>",
      "    #{text}</pre>`;",
      "const b = `",
      "    css {  }`;",
      'const c = "html`\\n   x`";',
      "// css`  /* kept */  `",
      "const d = other`",
      "    x`;",
    );
    assert.equal(minifyTemplates(source), source);
  });
});

describe("the elements' sources, minified", () => {
  const files = readdirSync(src, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.startsWith("test-support"));

  it("parse to the same program but for the templates' white space and CSS comments", async () => {
    let changed = 0;
    for (const file of files) {
      const { code } = await transform(readFileSync(join(src, file), "utf8"), {
        loader: "ts",
        format: "esm",
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: false, verbatimModuleSyntax: true } },
      });
      const minified = minifyTemplates(code);
      if (minified !== code) changed += 1;
      assert.deepEqual(normalised(minified), normalised(code), file);
    }
    assert.ok(changed >= 10, `only ${changed} sources had templates to minify`);
  });
});

/**
 * The program's tree without positions, template text normalised: every run of white space one space and, in `css`
 * templates, comments dropped, no space beside `{`, `}` and `;` nor at the template's ends.
 */
function normalised(code) {
  const tree = parse(code, { ecmaVersion: "latest", sourceType: "module" });
  const visit = (node, css) => {
    if (node.type === "TemplateElement") {
      const text = node.value.cooked.replace(/\s+/g, " ");
      node.value = css
        ? text
            .replace(/\/\*[\s\S]*?\*\//g, "")
            .replace(/\s+/g, " ")
            .replace(/ ?([{};]) ?/g, "$1")
            .trim()
        : text;
    }
    const cssTemplate = node.type === "TaggedTemplateExpression" && node.tag.name === "css";
    for (const [key, value] of Object.entries(node))
      for (const child of Array.isArray(value) ? value : [value])
        if (child && typeof child.type === "string")
          visit(child, cssTemplate && key === "quasi" ? true : css && node.type === "TemplateLiteral");
  };
  visit(tree, false);
  return JSON.parse(
    JSON.stringify(tree, (key, value) => (key === "start" || key === "end" || key === "raw" ? undefined : value)),
  );
}

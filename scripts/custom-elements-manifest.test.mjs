// custom-elements.json, made by @custom-elements-manifest/analyzer from the JSDoc the elements carry (`pnpm build`
// writes it into the package, with packages/widgets/custom-elements-manifest.config.mjs), and each element's README
// held to it: every attribute, property, event, part and CSS custom property the manifest lists is named in the
// README, so the two cannot drift apart. scripts/consumer.test.mjs checks the packed one names files the tarball holds.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";

const widgets = new URL("../packages/widgets/", import.meta.url).pathname;
const cli = createRequire(join(widgets, "package.json")).resolve("@custom-elements-manifest/analyzer/cem.js");
let outdir;
let manifest;

before(() => {
  // The package's own settings, written to a scratch folder instead of the package's custom-elements.json, which
  // scripts/consumer.test.mjs may be packing at the same time (pnpm test runs them side by side).
  outdir = mkdtempSync(join(widgets, ".cem-test-"));
  execFileSync(process.execPath, [cli, "analyze", "--outdir", basename(outdir)], { cwd: widgets, encoding: "utf8" });
  manifest = JSON.parse(readFileSync(join(outdir, "custom-elements.json"), "utf8"));
});

after(() => rmSync(outdir, { recursive: true, force: true }));

/** The TypeScript source `pnpm build` makes a dist/ module of. */
const sourceOf = (path) => path.replace(/^dist\//, "src/").replace(/\.js$/, ".ts");

const elements = () =>
  manifest.modules.flatMap((module) =>
    (module.declarations ?? [])
      .filter((declaration) => declaration.customElement)
      .map((declaration) => ({ module, declaration })),
  );

/** What a portal developer uses: attributes, public fields and methods (not Lit's or the form machinery's callbacks).
 * */
function documentedNames(declaration) {
  const internal = /Callback$|^(formValue|valueMissingMessage|validationAnchor|effectivelyDisabled)$/;
  const members = (declaration.members ?? []).filter(
    (member) =>
      !member.static &&
      !["private", "protected"].includes(member.privacy) &&
      !member.name.startsWith("_") &&
      !internal.test(member.name),
  );
  return {
    attribute: (declaration.attributes ?? []).map((attribute) => attribute.name),
    property: members.map((member) => member.name),
    event: (declaration.events ?? []).map((event) => event.name).filter(Boolean),
    part: (declaration.cssParts ?? []).map((part) => part.name),
    "CSS property": (declaration.cssProperties ?? []).map((property) => property.name),
  };
}

describe("custom-elements.json", () => {
  it("describes each element that has a define module, by its tag name", () => {
    assert.deepEqual(
      elements()
        .map(({ declaration }) => declaration.tagName)
        .sort(),
      ["integration-accounts", "schedule-interview", "zoom-host-picker"],
    );
    for (const { declaration } of elements()) {
      const names = documentedNames(declaration);
      assert.ok(names.attribute.includes("server"), `${declaration.tagName} has no server attribute in the manifest`);
      assert.ok(
        names.event.length > 0 && names.part.length > 0,
        `${declaration.tagName}: events and parts come from its JSDoc`,
      );
    }
  });

  it("names the modules `pnpm build` makes, not the sources it makes them of, nor tests and their support", () => {
    // The package ships dist/ and no src/: a module is the JavaScript a user imports, its .d.ts beside it.
    const paths = manifest.modules.map((module) => module.path);
    assert.ok(paths.includes("dist/zoom-host-picker/define.js"), paths.join(" "));
    for (const path of paths) {
      assert.match(path, /^dist\/[\w-]+\/[\w-]+\.js$/);
      assert.ok(existsSync(join(widgets, sourceOf(path))), `${path} is built from no source`);
      assert.doesNotMatch(path, /test-support|\.test\./);
    }
    // References to another module of the package (a define module's class, a mixin, a re-export) name it as built;
    // one to another package (LitElement's, a re-export of @tsunagu/contract's) names that package.
    const references = JSON.stringify(manifest.modules).match(/"(module|package)":"[^"]*"/g);
    for (const reference of new Set(references))
      assert.match(reference, /^"module":"dist\/[\w-]+\/[\w-]+\.js"$|^"package":"(lit|@tsunagu\/contract)"$/);
  });

  it("names everything the manifest lists in the element's README", () => {
    const missing = [];
    for (const { module, declaration } of elements()) {
      const readmePath = join(widgets, sourceOf(module.path).replace(/[^/]+$/, "README.md"));
      // Every code block and `code` span of the README, split into the names it mentions.
      const readme = readFileSync(readmePath, "utf8");
      const blocks = [...readme.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].map((match) => match[1]);
      const spans = [...readme.replace(/```[^\n]*\n[\s\S]*?```/g, "").matchAll(/`([^`]+)`/g)].map((match) => match[1]);
      const mentioned = new Set([...blocks, ...spans].flatMap((code) => code.split(/[^\w-]+/).filter(Boolean)));
      for (const [kind, names] of Object.entries(documentedNames(declaration))) {
        for (const name of names) if (!mentioned.has(name)) missing.push(`${declaration.tagName}: ${kind} ${name}`);
      }
    }
    assert.deepEqual(missing, [], `named in custom-elements.json but not in the README:\n${missing.join("\n")}`);
  });
});

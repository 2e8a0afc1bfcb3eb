// custom-elements.json, made by @custom-elements-manifest/analyzer from the JSDoc the elements carry (`pnpm build`
// writes it into the package), and each element's README held to it: every attribute, property, event, part and
// CSS custom property the manifest lists is named in the README, so the two cannot drift apart.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

const widgets = new URL("../packages/widgets/", import.meta.url).pathname;
const cli = createRequire(join(widgets, "package.json")).resolve("@custom-elements-manifest/analyzer/cem.js");
let outdir;
let manifest;

before(() => {
  // The analyzer writes the manifest's path into the package.json where it runs. It runs in a scratch folder of its
  // own with a copy of package.json and the package's sources linked in, so the package's own package.json stays as
  // `pnpm build` makes it, also for scripts/consumer.test.mjs packing it at the same time (pnpm test runs them side
  // by side).
  outdir = mkdtempSync(join(widgets, ".cem-test-"));
  copyFileSync(join(widgets, "package.json"), join(outdir, "package.json"));
  symlinkSync(join(widgets, "src"), join(outdir, "src"));
  execFileSync(
    process.execPath,
    [cli, "analyze", "--litelement", "--globs", "src/*/*.ts", "--exclude", "src/**/*.test.ts", "--outdir", "."],
    { cwd: outdir, encoding: "utf8" },
  );
  manifest = JSON.parse(readFileSync(join(outdir, "custom-elements.json"), "utf8"));
});

after(() => rmSync(outdir, { recursive: true, force: true }));

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

  it("names everything the manifest lists in the element's README", () => {
    const missing = [];
    for (const { module, declaration } of elements()) {
      const readmePath = join(widgets, module.path.replace(/[^/]+$/, "README.md"));
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

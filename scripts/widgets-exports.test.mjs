// What `@tsunagu/widgets` offers its users: the entry and each element's
// `define` module, never its tests or test support. Resolved as the demo (a
// package user) resolves them, through the package's `exports`.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, it } from "node:test";

const root = new URL("..", import.meta.url).pathname;
const widgets = join(root, "packages/widgets");
const asTheDemo = createRequire(join(root, "demo/package.json"));
const manifest = JSON.parse(readFileSync(join(widgets, "package.json"), "utf8"));

/** Every file under `dir`, recursively. */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The `@tsunagu/widgets…` specifiers `source` imports (statements at the start of a line, not examples in comments).
 * */
function widgetImports(source) {
  return [...source.matchAll(/^(?:import|export)[^;]*?["'](@tsunagu\/widgets[^"']*)["']/gm)].map((match) => match[1]);
}

function notExported(specifier) {
  assert.throws(
    () => asTheDemo.resolve(specifier),
    { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" },
    `${specifier} is exported`,
  );
}

describe("@tsunagu/widgets exports", () => {
  it("offers the entry and each element's define module, as the READMEs and the demo import them", () => {
    assert.equal(relative(widgets, asTheDemo.resolve("@tsunagu/widgets")), "src/index.ts");
    assert.equal(
      relative(widgets, asTheDemo.resolve("@tsunagu/widgets/integration-accounts")),
      "src/integration-accounts/define.ts",
    );
    assert.equal(
      relative(widgets, asTheDemo.resolve("@tsunagu/widgets/zoom-host-picker")),
      "src/zoom-host-picker/define.ts",
    );
    assert.equal(
      relative(widgets, asTheDemo.resolve("@tsunagu/widgets/schedule-interview")),
      "src/schedule-interview/define.ts",
    );
    // The class alone, for a portal that registers it under a tag of its own.
    assert.equal(
      relative(widgets, asTheDemo.resolve("@tsunagu/widgets/integration-accounts.js")),
      "src/integration-accounts/integration-accounts.ts",
    );
    assert.equal(
      relative(widgets, asTheDemo.resolve("@tsunagu/widgets/zoom-host-picker.js")),
      "src/zoom-host-picker/zoom-host-picker.ts",
    );
    assert.equal(
      relative(widgets, asTheDemo.resolve("@tsunagu/widgets/schedule-interview.js")),
      "src/schedule-interview/schedule-interview.ts",
    );
  });

  it("resolves every import of the demo", () => {
    const specifiers = files(join(root, "demo/src")).flatMap((file) => widgetImports(readFileSync(file, "utf8")));
    assert.ok(specifiers.length > 0, "the demo imports nothing from the package");
    for (const specifier of specifiers)
      assert.ok(existsSync(asTheDemo.resolve(specifier)), `${specifier} resolves to nothing`);
  });

  it("points every export at a file that exists, and publishes the same subpaths built (publishConfig)", () => {
    for (const [subpath, target] of Object.entries(manifest.exports))
      assert.ok(existsSync(join(widgets, target)), `${subpath} → ${target} is missing`);
    assert.deepEqual(Object.keys(manifest.publishConfig.exports), Object.keys(manifest.exports));
    for (const [subpath, target] of Object.entries(manifest.publishConfig.exports)) {
      if (typeof target === "string") continue;
      assert.match(target.default, /^\.\/dist\/.*\.js$/, `${subpath} publishes ${target.default}`);
      assert.equal(target.types, target.default.replace(/\.js$/, ".d.ts"), `${subpath}'s types`);
    }
  });

  it("keeps test support, tests and internal modules to itself", () => {
    notExported("@tsunagu/widgets/test-support/fake-host-token.ts");
    notExported("@tsunagu/widgets/test-support/real-server.ts");
    notExported("@tsunagu/widgets/integration-accounts/integration-accounts.test.ts");
    notExported("@tsunagu/widgets/shared/dialog.ts");
    notExported("@tsunagu/widgets/zoom-host-picker/zoom-host-picker.ts");
    notExported("@tsunagu/widgets/schedule-interview/week.ts");
    notExported("@tsunagu/widgets/test-support/fake-interviews.ts");
    notExported("@tsunagu/widgets/src/index.ts");
  });

  it("has tests reach test support by relative paths, and production code never", () => {
    for (const file of files(join(widgets, "src"))) {
      if (!file.endsWith(".ts")) continue;
      const source = readFileSync(file, "utf8");
      const name = relative(widgets, file);
      assert.deepEqual(widgetImports(source), [], `${name} imports the package by its name`);
      const testCode = name.endsWith(".test.ts") || name.startsWith("src/test-support/");
      if (!testCode)
        assert.doesNotMatch(
          source,
          /^import[^;]*["'][^"']*test-support\//m,
          `${name} (production code) imports test support`,
        );
    }
  });
});

// @custom-elements-manifest/analyzer's settings for custom-elements.json (`pnpm build` and `pnpm analyze` write it
// into the package, `pnpm pack` ships it). The analyzer reads the TypeScript sources, where the JSDoc and the
// decorators are, but the package ships the built dist/ instead: the manifest names the modules a user imports
// (the schema's module path is "the JavaScript file to import"), each with its .d.ts beside it.
// https://github.com/webcomponents/custom-elements-manifest/blob/main/schema.d.ts
import { posix } from "node:path";

/** `src/a/b.ts`, `/src/a/b.ts` (the define modules' references) or `./b.ts` (a re-export from `from`) as built. */
function builtPath(path, from) {
  const source = path.startsWith(".") ? posix.join(posix.dirname(from), path) : path.replace(/^\//, "");
  if (!/^src\/.*\.ts$/.test(source)) throw new Error(`custom-elements.json: ${path} (in ${from}) is not a source`);
  return source.replace(/^src\//, "dist/").replace(/\.ts$/, ".js");
}

/** Every reference (`{ name, module }`: exports, superclasses, mixins, inheritedFrom, type references) in `node`. */
function* references(node) {
  if (Array.isArray(node)) for (const item of node) yield* references(item);
  else if (node && typeof node === "object") {
    if (typeof node.module === "string") yield node;
    for (const value of Object.values(node)) yield* references(value);
  }
}

const builtModulePaths = {
  name: "tsunagu-built-module-paths",
  packageLinkPhase({ customElementsManifest }) {
    for (const module of customElementsManifest.modules) {
      for (const reference of [...references(module.declarations ?? []), ...references(module.exports ?? [])]) {
        if (/^[./]|^src\//.test(reference.module)) reference.module = builtPath(reference.module, module.path);
        else {
          // A re-export from another package (`export { providerIds } from "@tsunagu/contract"`): the schema names
          // the package, and leaves module out for its entry point.
          reference.package = reference.module;
          delete reference.module;
        }
      }
      module.path = builtPath(module.path, module.path);
    }
  },
};

export default {
  globs: ["src/*/*.ts"],
  // Tests and their support are neither built nor packed.
  exclude: ["src/**/*.test.ts", "src/test-support/**"],
  outdir: ".",
  litelement: true,
  // package.json names the manifest already ("customElements"); the analyzer would rewrite the file otherwise.
  packagejson: false,
  plugins: [builtModulePaths],
};

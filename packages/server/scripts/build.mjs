#!/usr/bin/env node
// `pnpm build` for the server: bundles the entry (src/main.ts) and the CLI (src/cli.ts) into plain ES modules
// under dist/ that Node runs without tsx. Our own code and @tsunagu/contract (TypeScript source) are bundled;
// every other dependency stays an import from node_modules (better-sqlite3 is native, googleapis is large).
// Usage: node scripts/build.mjs [outdir]
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const outdir = process.argv[2] ?? `${root}dist`;
const { dependencies } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const bundled = new Set(["@tsunagu/contract"]);

const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: { main: "src/main.ts", cli: "src/cli.ts" },
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  sourcemap: true,
  external: Object.keys(dependencies).filter((name) => !bundled.has(name)),
  logLevel: "warning",
  write: false,
});
// Each file replaced whole (written beside it, then renamed over it): several `pnpm start`s (the demo tests run two
// at a time) and `pnpm pack` read and write dist/ at once, and a file being rewritten in place could be read half
// written.
for (const file of outputFiles) {
  // The CLI's source runs under tsx (its shebang says so); the built file runs under plain Node.
  const text = basename(file.path) === "cli.js" ? file.text.replace(/^#!.*\n/, "#!/usr/bin/env node\n") : file.text;
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: basename(file.path) === "cli.js" ? 0o755 : 0o644 });
  renameSync(temporary, file.path);
}
console.log(`server built into ${outdir}`);

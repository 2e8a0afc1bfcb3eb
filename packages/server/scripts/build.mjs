#!/usr/bin/env node
// `pnpm build` for the server: bundles the entry (src/main.ts) and the CLI (src/cli.ts) into plain ES modules
// under dist/ that Node runs without tsx. Our own code and @tsunagu/contract (TypeScript source) are bundled;
// every other dependency stays an import from node_modules (better-sqlite3 is native, googleapis is large).
// Usage: node scripts/build.mjs [outdir]
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const outdir = process.argv[2] ?? `${root}dist`;
const { dependencies } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const bundled = new Set(["@tsunagu/contract"]);

await build({
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
});
// The CLI's source runs under tsx (its shebang says so); the built file runs under plain Node.
const cli = `${outdir}/cli.js`;
writeFileSync(cli, readFileSync(cli, "utf8").replace(/^#!.*\n/, "#!/usr/bin/env node\n"));
console.log(`server built into ${outdir}`);

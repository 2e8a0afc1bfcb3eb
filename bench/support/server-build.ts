/**
 * The server as `pnpm start` runs it: the production bundle
 * (packages/server/scripts/build.mjs), built into a scratch directory inside
 * the package so that its imports of hono, kysely, … resolve from the
 * package's node_modules as dist/'s do. Removed by `remove()`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";

export const serverDir = new URL("../../packages/server/", import.meta.url).pathname;

export function buildServer(): { main: string; remove(): void } {
  const outdir = mkdtempSync(join(serverDir, ".dist-bench-"));
  const build = spawnSync(process.execPath, ["scripts/build.mjs", outdir], { cwd: serverDir, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`the server build failed:\n${build.stdout}\n${build.stderr}`);
  return { main: join(outdir, "main.js"), remove: () => rmSync(outdir, { recursive: true, force: true }) };
}

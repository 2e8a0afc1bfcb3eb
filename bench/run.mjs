#!/usr/bin/env node
// `pnpm bench`: runs every bench/*.bench.ts. Each prints ratios against a
// baseline measured side by side in the same process, never absolute targets.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const dir = new URL(".", import.meta.url).pathname;
const files = readdirSync(dir).filter((name) => name.endsWith(".bench.ts")).sort();
let failed = false;
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const result = spawnSync("npx", ["tsx", `${dir}${file}`], { stdio: "inherit", cwd: dir });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// `pnpm bench`: runs every bench/*.bench.ts. Each prints ratios against a
// baseline measured side by side in the same process, never absolute targets,
// and hands its Markdown section over (bench/support/report.ts). The sections
// go into bench/RESULTS.md under the machine they were measured on, and into
// the README between its bench markers.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const dir = new URL(".", import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".bench.ts"))
  .sort();
const sectionsDir = mkdtempSync(join(tmpdir(), "tsunagu-bench-sections-"));
const load = loadavg()[0].toFixed(1);
let failed = false;
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const result = spawnSync("npx", ["tsx", `${dir}${file}`], {
    stdio: "inherit",
    cwd: dir,
    env: { ...process.env, BENCH_SECTIONS_DIR: sectionsDir },
  });
  failed ||= result.status !== 0;
}

const sections = readdirSync(sectionsDir)
  .sort()
  .map((name) => readFileSync(join(sectionsDir, name), "utf8").trimEnd());
rmSync(sectionsDir, { recursive: true, force: true });
if (sections.length > 0) {
  const machine =
    `${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}, ` +
    `load average ${load} at the start`;
  const body = [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine}.`,
    "",
    ...sections.flatMap((section) => [section, ""]),
  ].join("\n");
  writeFileSync(
    join(dir, "RESULTS.md"),
    `# Benchmark results\n\nWritten by \`pnpm bench\` (bench/run.mjs); compare ratios, not absolute ` +
      `figures. Earlier runs, diagnoses and side-by-side measurements of single changes: bench/HISTORY.md.\n\n${body}`,
  );
  const readme = join(dir, "..", "README.md");
  const text = readFileSync(readme, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  if (text.includes(start) && text.includes(end)) {
    const shifted = body.replaceAll(/^## /gm, "#### ");
    writeFileSync(
      readme,
      `${text.slice(0, text.indexOf(start) + start.length)}\n${shifted}\n${text.slice(text.indexOf(end))}`,
    );
  }
  const inReadme = text.includes(start) && text.includes(end);
  // The tables as `pnpm test`'s biome ci wants them (aligned columns), so a bench run never leaves the lint red.
  spawnSync("npx", ["biome", "format", "--write", join(dir, "RESULTS.md"), readme], { stdio: "inherit" });
  console.log(
    `\nwrote bench/RESULTS.md${inReadme ? " and the README's table" : " (the README lacks its bench markers)"}`,
  );
}
process.exit(failed ? 1 : 0);

/**
 * How a bench hands its figures to `pnpm bench` (bench/run.mjs): a Markdown
 * section written to BENCH_SECTIONS_DIR/<name>.md, which run.mjs gathers
 * into bench/RESULTS.md. Run alone, a bench only prints. The directory is
 * made if it is missing, so a run by hand does not end on ENOENT after its
 * measurements.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function reportSection(name: string, markdown: string): void {
  console.log(markdown);
  const dir = process.env.BENCH_SECTIONS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.md`), `${markdown.trimEnd()}\n`);
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

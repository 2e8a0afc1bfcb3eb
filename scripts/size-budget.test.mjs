// The size budget: each element's bundle (bench/support/size.mjs, the measurement `pnpm bench` reports) may not
// grow more than 5 % over bench/size-budget.json, the figures last committed. When sizes drop, run `pnpm bench`
// and commit the new budget; a new element needs its entry the same way.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { measureSizes } from "../bench/support/size.mjs";

const budget = JSON.parse(readFileSync(new URL("../bench/size-budget.json", import.meta.url), "utf8"));
const allowance = 1.05;

test("every element stays within 5 % of its committed size budget (min, gzip and brotli)", async () => {
  const figures = await measureSizes();
  const over = [];
  for (const [name, size] of Object.entries(figures)) {
    const limit = budget[name];
    if (!limit) {
      over.push(`${name}: no budget yet; run \`pnpm bench\` and commit bench/size-budget.json`);
      continue;
    }
    for (const measure of ["min", "gzip", "brotli"]) {
      if (size[measure] > limit[measure] * allowance) {
        over.push(
          `${name} ${measure}: ${size[measure]} bytes, budget ${limit[measure]} (+5 % = ` +
            `${Math.floor(limit[measure] * allowance)})`,
        );
      }
    }
  }
  assert.deepEqual(over, [], `over the size budget:\n${over.join("\n")}`);
});

// No line of code over 120 characters (biome.json's lineWidth). The formatter wraps code but leaves long
// strings and comments alone, so this check reads every tracked source file itself. A line holding a URL is
// exempt: a link is not split.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const root = new URL("..", import.meta.url).pathname;
const maxLength = 120;

test("no line of TypeScript or JavaScript is longer than 120 characters", () => {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "*.ts", "*.mjs", "*.js", "*.cjs"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
  assert.ok(files.length > 100, `expected the workspace's source files, found ${files.length}`);
  const long = [];
  for (const file of files) {
    let text;
    try {
      text = readFileSync(new URL(file, `file://${root}`), "utf8");
    } catch {
      continue; // listed by git but deleted in the working tree
    }
    text.split("\n").forEach((line, index) => {
      if ([...line].length > maxLength && !/https?:\/\//.test(line)) long.push(`${file}:${index + 1}`);
    });
  }
  assert.deepEqual(long, [], `lines over ${maxLength} characters:\n${long.join("\n")}`);
});

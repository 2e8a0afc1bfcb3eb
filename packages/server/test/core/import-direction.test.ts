import { execFile } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const serverRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

describe("imports between src/ folders", () => {
  it("point one way: no folder reaches itself again through " +
    "what it imports, types included (scripts/code-shape.mjs)", async () => {
    // The script exits 1 while a cycle remains; its report is what the assertion reads either way.
    const stdout = await promisify(execFile)(process.execPath, ["scripts/code-shape.mjs", "--top", "1"], {
      cwd: serverRoot,
    }).then(
      (done) => done.stdout,
      (failed: { stdout?: string }) => failed.stdout ?? "",
    );
    expect(stdout).toContain("Import cycles between src/ folders: 0");
  }, 60_000);
});

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** `pnpm tsunagu …` as an operator types it: src/cli.ts under tsx, with only the environment given. */
function tsunagu(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: new URL("../..", import.meta.url).pathname,
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe("tsunagu, the operator's command", () => {
  it("answers --help on stdout with exit code 0, naming every command", () => {
    for (const help of ["--help", "-h", "help"]) {
      const { code, out, err } = tsunagu([help]);
      expect(code).toBe(0);
      expect(err).toBe("");
      for (const command of ["hosts add|list|rotate-key|rotate-webhook|remove", "keys generate", "vault reencrypt"])
        expect(out).toContain(command);
    }
  });

  it("refuses an unknown command by name, with the usage, and exit code 2", () => {
    const { code, out, err } = tsunagu(["host", "list"]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain('tsunagu: unknown command "host"');
    expect(err).toContain("usage: tsunagu <command>");
  });

  it("says how to name the hosts file when TSUNAGU_HOSTS_FILE is not set", () => {
    const { code, err } = tsunagu(["hosts", "list"]);
    expect(code).toBe(2);
    expect(err.trim()).toBe(
      "tsunagu: TSUNAGU_HOSTS_FILE: is required: the path of the JSON host registry, e.g. " +
        "TSUNAGU_HOSTS_FILE=./hosts.json (`hosts add` makes it)",
    );
  });
});

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * `tsunagu …` as an operator types it (`pnpm tsunagu …` in the repository, `npx tsunagu …` from npm): src/cli.ts under
 * tsx, with only the environment given.
 */
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

  it("names the commands it advises as tsunagu …, as run from npm or from the repository, never pnpm's", () => {
    const generated = tsunagu(["keys", "generate"]);
    expect(generated.code).toBe(0);
    expect(generated.err).toContain("Restart every server process, then run `tsunagu vault reencrypt`.");
    const keyless = tsunagu(["vault", "reencrypt"], { TSUNAGU_HOSTS_FILE: "./hosts.json" });
    expect(keyless.code).toBe(2);
    expect(keyless.err.trim()).toBe(
      "tsunagu: TSUNAGU_ENCRYPTION_KEYS: is required: comma-separated keyId:base64url(32 bytes); create one with " +
        "`tsunagu keys generate`",
    );
    const handMade = tsunagu(["vault", "reencrypt"], {
      TSUNAGU_HOSTS_FILE: "./hosts.json",
      TSUNAGU_ENCRYPTION_KEYS: "k1",
    });
    expect(handMade.err.trim()).toMatch(/; make an entry with `tsunagu keys generate`$/);
    for (const run of [generated, keyless, handMade, tsunagu(["--help"])])
      expect(run.out + run.err).not.toContain("pnpm");
  }, 60_000);

  it("says how to name the hosts file when TSUNAGU_HOSTS_FILE is not set", () => {
    const { code, err } = tsunagu(["hosts", "list"]);
    expect(code).toBe(2);
    expect(err.trim()).toBe(
      "tsunagu: TSUNAGU_HOSTS_FILE: is required: the path of the JSON host registry, e.g. " +
        "TSUNAGU_HOSTS_FILE=./hosts.json (`hosts add` makes it)",
    );
  });
});

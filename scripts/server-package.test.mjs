// The server as someone deploying it outside this repository gets it, as README's "Running in production" says
// ("From its package, outside this repository"): `pnpm build` and `pnpm pack` of @tsunagu/server, the tarball copied
// into a scratch directory in the system's temporary folder (no workspace around it), and the README's lines marked
// <!-- example: server-package --> run there as written: npm installs the tarball, the installed `tsunagu` command
// makes the encryption key and the hosts file, and the installed dist/main.js starts (with the sandbox). The server
// must answer a host token signed with the secret the command printed, take a new key on SIGHUP, and stop on SIGTERM.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { portIsFree } from "./demo-harness.mjs";

const root = new URL("..", import.meta.url).pathname;
const serverPackage = join(root, "packages/server");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** pnpm as this run has it: the one running `pnpm test`, else pnpm 10 through npx. */
function pnpm(args, cwd) {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath))
    return execFileSync(process.execPath, [execPath, ...args], { cwd, encoding: "utf8" });
  return execFileSync("npx", ["--yes", "pnpm@10", ...args], { cwd, encoding: "utf8" });
}

/** The README's shell block marked `<!-- example: name -->`, as its lines. */
function readmeLines(name) {
  const found = new RegExp(`<!-- example: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!found) throw new Error(`README.md has no example marked ${name}`);
  return found[1].trim().split("\n");
}

/** An HS256 host token as the portal's backend signs it, with the host's secret decoded. */
function hostToken(hostId, secret) {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: hostId,
    aud: "tsunagu",
    sub: "admin-1",
    org: "outside",
    role: "admin",
    email: "admin@outside.example",
    iat: now,
    exp: now + 900,
    jti: randomUUID(),
  };
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
  const signature = createHmac("sha256", Buffer.from(secret, "base64url")).update(input).digest("base64url");
  return `${input}.${signature}`;
}

/** The package an import specifier names: `hono` for `hono/cookie`, `@hono/node-server` for itself. */
function packageName(specifier) {
  return specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
}

/** The secret a `tsunagu hosts` command printed (once). */
function printedSecret(output) {
  const line = output.split("\n").find((text) => text.startsWith("secret (shown once"));
  assert.ok(line, `no secret printed in:\n${output}`);
  return line.split(": ").at(-1).trim();
}

async function me(baseUrl, token) {
  const response = await fetch(`${baseUrl}/v1/me`, {
    headers: { authorization: `Bearer ${token}`, origin: "http://localhost:5173" },
  });
  return { status: response.status, body: await response.json() };
}

async function waitFor(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let scratch;
let app;
let setup;
let server;
let serverOutput = "";
let serverExit;
let baseUrl;

before(
  async () => {
    scratch = mkdtempSync(join(tmpdir(), "tsunagu-server-package-"));
    // As the README says, in the repository; the build replaces dist/'s files whole, so a `pnpm start` building at
    // the same time (the demo tests) cannot leave the tarball a half-written file.
    pnpm(["--filter", "@tsunagu/server", "build"], root);
    const packs = join(scratch, "packs");
    mkdirSync(packs);
    pnpm(["pack", "--pack-destination", packs], serverPackage);
    const tarball = readdirSync(packs).find((file) => file.startsWith("tsunagu-server-"));
    app = join(scratch, "app");
    mkdirSync(app);
    copyFileSync(join(packs, tarball), join(app, tarball));

    // Every line but the last (the server, started below to be watched), run as written in one shell, which then
    // says what it exported.
    const lines = readmeLines("server-package");
    assert.match(lines.at(-1), /^node --enable-source-maps node_modules\/@tsunagu\/server\/dist\/main\.js$/);
    const script = [
      "set -euo pipefail",
      ...lines.slice(0, -1),
      'printf "\\nexported %s\\n" "TSUNAGU_HOSTS_FILE=$TSUNAGU_HOSTS_FILE"',
      'printf "exported %s\\n" "TSUNAGU_ENCRYPTION_KEYS=$TSUNAGU_ENCRYPTION_KEYS"',
    ].join("\n");
    const output = execFileSync("bash", ["-c", script], {
      cwd: app,
      encoding: "utf8",
      env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_loglevel: "error" },
    });
    const exported = Object.fromEntries(
      output
        .split("\n")
        .filter((line) => line.startsWith("exported "))
        .map((line) => {
          const [name, ...value] = line.slice("exported ".length).split("=");
          return [name, value.join("=")];
        }),
    );
    setup = { output, exported, secret: printedSecret(output) };

    let port;
    do port = 10000 + Math.floor(Math.random() * 10000);
    while (!(await portIsFree(port)));
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, lines.at(-1).split(" ").slice(1), {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        ...exported,
        PORT: String(port),
        TSUNAGU_SANDBOX: "1",
        TSUNAGU_SANDBOX_PORT: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    serverExit = new Promise((resolve) => server.once("exit", (code, signal) => resolve({ code, signal })));
    server.stdout.on("data", (chunk) => (serverOutput += chunk));
    server.stderr.on("data", (chunk) => (serverOutput += chunk));
    await waitFor(
      async () => {
        if (server.exitCode !== null) throw new Error(`the installed server exited:\n${serverOutput}`);
        return (await fetch(`${baseUrl}/healthz`).catch(() => undefined))?.ok === true;
      },
      60_000,
      "the installed server's /healthz",
    );
  },
  { timeout: 600_000 },
);

after(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGKILL");
    await serverExit;
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("@tsunagu/server installed from its tarball outside the workspace", () => {
  it("installs the built server alone (dist, README, LICENSE) with its tsunagu command, no workspace package", () => {
    const installed = join(app, "node_modules/@tsunagu/server");
    const files = execFileSync("find", [".", "-type", "f"], { cwd: installed, encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .sort();
    assert.deepEqual(files, [
      "./LICENSE",
      "./README.md",
      "./dist/cli.js",
      "./dist/cli.js.map",
      "./dist/main.js",
      "./dist/main.js.map",
      "./package.json",
    ]);
    // The repository's README, which the server's and the CLI's messages name ("see README, 'Hosts'").
    assert.equal(readFileSync(join(installed, "README.md"), "utf8"), readme);
    assert.equal(readFileSync(join(installed, "LICENSE"), "utf8"), readFileSync(join(root, "LICENSE"), "utf8"));
    assert.ok(!existsSync(join(serverPackage, "README.md")), "the README copied in for the pack is removed after it");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    assert.deepEqual(manifest.bin, { tsunagu: "./dist/cli.js" });
    assert.equal(manifest.dependencies["@tsunagu/contract"], undefined, "the contract is bundled into dist");
    assert.ok(!existsSync(join(app, "node_modules/@tsunagu/contract")));
  });

  it("depends on exactly the packages its built files import (nothing installed only for development)", () => {
    const installed = join(app, "node_modules/@tsunagu/server");
    const imported = new Set();
    for (const file of ["dist/main.js", "dist/cli.js"]) {
      const source = readFileSync(join(installed, file), "utf8");
      const imports = /^import\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/gm;
      for (const found of source.matchAll(imports)) {
        const specifier = found[1] ?? found[2] ?? found[3];
        if (!specifier.startsWith("node:")) imported.add(packageName(specifier));
      }
    }
    const { dependencies } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    assert.deepEqual(Object.keys(dependencies).sort(), [...imported].sort());
  });

  it("makes the key and the hosts file with the installed command, in the directory it runs in", () => {
    assert.match(setup.exported.TSUNAGU_ENCRYPTION_KEYS, /^k\d{8}-[0-9a-f]{6}:[A-Za-z0-9_-]{43}$/);
    assert.equal(readFileSync(join(app, "encryption-key"), "utf8").trim(), setup.exported.TSUNAGU_ENCRYPTION_KEYS);
    const hosts = JSON.parse(readFileSync(join(app, "hosts.json"), "utf8"));
    assert.deepEqual(
      hosts.map(({ id, origins }) => ({ id, origins })),
      [{ id: "local-dev", origins: ["http://localhost:5173"] }],
    );
    assert.equal(Buffer.from(setup.secret, "base64url").length, 32);
  });

  it("starts from the installed dist/main.js, keeps its database in ./.data there, answers a host token", async () => {
    const health = await (await fetch(`${baseUrl}/healthz`)).json();
    assert.equal(health.database, "ok");
    assert.ok(existsSync(join(app, ".data/tsunagu.sqlite")), "the SQLite database in the app's ./.data");
    const answer = await me(baseUrl, hostToken("local-dev", setup.secret));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.host, "local-dev");
  });

  it("takes a rotated host key on SIGHUP, and stops on SIGTERM with exit code 0", async () => {
    const rotated = execFileSync("npx", ["tsunagu", "hosts", "rotate-key", "local-dev", "--secret-generate"], {
      cwd: app,
      encoding: "utf8",
      env: { ...process.env, TSUNAGU_HOSTS_FILE: setup.exported.TSUNAGU_HOSTS_FILE },
    });
    const secret = printedSecret(rotated);
    server.kill("SIGHUP");
    await waitFor(
      async () => (await me(baseUrl, hostToken("local-dev", secret))).status === 200,
      15_000,
      "the new key to be taken",
    );
    const old = await me(baseUrl, hostToken("local-dev", setup.secret));
    assert.equal(old.status, 401);
    assert.equal(old.body.error.code, "token_signature");
    server.kill("SIGTERM");
    assert.deepEqual(await serverExit, { code: 0, signal: null });
  });
});

// The package as a portal developer outside this repository gets it, used as README's "Embedding the elements"
// says: each of its marked examples (<!-- example: name -->) is run here as written, with the server's URL put in.
// `pnpm build` and `pnpm pack` of
// @tsunagu/contract and @tsunagu/widgets, the tarballs installed with npm into a scratch project in the
// system's temporary folder (no workspace around it), bundled by esbuild and by Vite, type-checked as a
// TypeScript user would, and each bundle driven in Chromium against the real server and its sandbox: the
// element renders, an admin connects the organisation's Zoom account through the popup, and the page logs
// no console error. Then the one-file build (dist/browser) on a plain HTML page without a bundler: copied to
// the page's own origin under `Content-Security-Policy: script-src 'self'; style-src 'self'` and the
// `form-action` the element's README asks for, and loaded straight from the Tsunagu server's /elements/ path.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import { after, before, describe, it } from "node:test";

const root = new URL("..", import.meta.url).pathname;
const widgetsRequire = createRequire(join(root, "packages/widgets/package.json"));
const puppeteer = createRequire(widgetsRequire.resolve("@web/test-runner-chrome"))("puppeteer-core");
const { build: esbuild } = createRequire(join(root, "bench/package.json"))("esbuild");
const vite = await import(createRequire(join(root, "demo/package.json")).resolve("vite"));
const chromePath = process.env.CHROME_PATH || "/usr/bin/chromium";
const hostId = "consumer-portal";
const { version } = JSON.parse(readFileSync(join(root, "packages/widgets/package.json"), "utf8"));
const secret = randomBytes(32);

/** pnpm as this run has it: the one running `pnpm test`, else pnpm 10 through npx. */
function pnpm(args, cwd) {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath))
    return execFileSync(process.execPath, [execPath, ...args], { cwd, encoding: "utf8" });
  return execFileSync("npx", ["--yes", "pnpm@10", ...args], { cwd, encoding: "utf8" });
}

/** An HS256 host token as the portal's backend signs it. */
function hostToken(claims) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: hostId, aud: "tsunagu", iat: now, exp: now + 900, jti: randomUUID(), ...claims };
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

const contentTypes = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
};

/**
 * The portal: static files of one build, and the backend endpoint the README's examples call,
 * /portal-api/tsunagu-token, which signs a host token for the portal's signed-in admin of an organisation of
 * its own (each build connects Zoom from scratch).
 */
function startPortal(dir, headers = {}) {
  const org = basename(dir).replace(/-out$/, "");
  const server = createServer((request, response) => {
    const url = new URL(request.url, "http://portal");
    if (url.pathname === "/favicon.ico") {
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === "/portal-api/tsunagu-token") {
      const token = hostToken({ sub: "admin-1", org, role: "admin", email: `admin@${org}.example`, locale: "en" });
      response.writeHead(200, { "content-type": "text/plain" }).end(token);
      return;
    }
    const path = join(dir, url.pathname === "/" ? "index.html" : url.pathname);
    try {
      const body = readFileSync(path);
      response
        .writeHead(200, { "content-type": contentTypes[extname(path)] ?? "application/octet-stream", ...headers })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function startTsunagu(origins, dataDir, extraEnv = {}) {
  const hostsFile = join(dataDir, "hosts.json");
  writeFileSync(
    hostsFile,
    JSON.stringify([{ id: hostId, origins, secret: secret.toString("base64url"), algorithms: ["HS256"] }]),
  );
  // Below 20000: out of Linux's ephemeral ports (32768 and up), where another test's outgoing connection could hold
  // it, and out of the demo tests' 20000-32099 (scripts/demo-harness.mjs).
  const port = 10000 + Math.floor(Math.random() * 10000);
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: join(root, "packages/server"),
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      TSUNAGU_PUBLIC_URL: url,
      TSUNAGU_DATA_DIR: dataDir,
      TSUNAGU_HOSTS_FILE: hostsFile,
      TSUNAGU_ENCRYPTION_KEYS: `c1:${randomBytes(32).toString("base64url")}`,
      TSUNAGU_SANDBOX: "1",
      TSUNAGU_SANDBOX_PORT: "0",
      TSUNAGU_LOG_LEVEL: "warn",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) break;
    const health = await fetch(`${url}/healthz`).then(
      (response) => (response.ok ? response.json() : undefined),
      () => undefined,
    );
    if (health) return { url, providers: health.providers, child, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`the Tsunagu server did not start:\n${output}`);
}

/** The page the builds share; `script` is the module that imports the package (or several, in order). */
function pageHtml(...scripts) {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Portal</title><link rel="icon" href="data:," /></head>
  <body>
    <integration-accounts></integration-accounts>
    ${scripts.map((script) => `<script type="module" src="${script}"></script>`).join("\n    ")}
  </body>
</html>
`;
}

const readme = readFileSync(join(root, "README.md"), "utf8");
/** The README's code block marked `<!-- example: name -->`, with the example server URL replaced by `serverUrl`. */
function readmeExample(name, serverUrl) {
  const found = new RegExp(`<!-- example: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!found) throw new Error(`README.md has no example marked ${name}`);
  return found[1].replaceAll("https://tsunagu.example.com", serverUrl);
}

// Beside the README's examples: the class imported on its own, registered by the define module.
const appSource = `import "@tsunagu/widgets/integration-accounts";
import { IntegrationAccounts } from "@tsunagu/widgets/integration-accounts.js";

const element = document.querySelector("integration-accounts");
if (!(element instanceof IntegrationAccounts)) throw new Error("the element is not registered");
element.server = new URLSearchParams(location.search).get("server");
element.tokenProvider = () => fetch("/portal-api/tsunagu-token").then((response) => response.text());
`;

// What a TypeScript user relies on: the tag name map, the event map and the classes' types.
const typedSource = `import "@tsunagu/widgets/integration-accounts";
import "@tsunagu/widgets/zoom-host-picker";
import type { IntegrationAccounts } from "@tsunagu/widgets/integration-accounts.js";
import type { TsunaguLinkedEvent } from "@tsunagu/widgets";

const element: IntegrationAccounts | null = document.querySelector("integration-accounts");
const picker = document.querySelector("zoom-host-picker");
element?.addEventListener("tsunagu-linked", (event) => {
  const linked: TsunaguLinkedEvent = event;
  console.log(linked.detail.provider);
});
export const server: string | null | undefined = element?.server;
export const pickerValue: string | undefined = picker?.value;
`;
const typedReactSource = `import { IntegrationAccounts, ZoomHostPicker } from "@tsunagu/widgets/react";

export const accounts = (
  <IntegrationAccounts server="https://tsunagu.example" onTsunaguLinked={(event) => event.detail.provider.toUpperCase()} />
);
export const picker = (
  <ZoomHostPicker participants={["u-1"]} onTsunaguZoomHostChanged={(event) => event.detail.zoomUserId} />
);
`;

let scratch;
let tsunagu;
const portals = [];
let browser;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), "tsunagu-consumer-"));
  const packs = join(scratch, "packs");
  mkdirSync(packs);
  pnpm(["--filter", "@tsunagu/contract", "--filter", "@tsunagu/widgets", "build"], root);
  for (const name of ["contract", "widgets"]) pnpm(["pack", "--pack-destination", packs], join(root, "packages", name));
  const tarball = (name) =>
    join(
      packs,
      readdirSync(packs).find((file) => file.startsWith(`tsunagu-${name}-`)),
    );

  const app = join(scratch, "app");
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "portal",
      private: true,
      type: "module",
      dependencies: {
        "@tsunagu/contract": `file:${tarball("contract")}`,
        "@tsunagu/widgets": `file:${tarball("widgets")}`,
        react: "^19.0.0",
        "react-dom": "^19.0.0",
        "@types/react": "^19.0.0",
      },
    }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], {
    cwd: app,
    encoding: "utf8",
  });
  writeFileSync(join(app, "src/typed.ts"), typedSource);
  writeFileSync(join(app, "src/typed-react.tsx"), typedReactSource);

  // The portals first (their origins go into the host registry), then the server, then the pages, which name it.
  const builds = ["esbuild-out", "vite-out", "react-out", "served-out", "plain-out"];
  for (const dir of builds) mkdirSync(join(app, dir));
  // The plain page's policy: scripts and styles from its own origin only; its form-action is added below, once the
  // server and its fakes have their origins.
  const plainHeaders = { "content-security-policy": "script-src 'self'; style-src 'self'" };
  for (const dir of builds) {
    portals.push({ dir, server: await startPortal(join(app, dir), dir === "plain-out" ? plainHeaders : {}) });
  }
  const origins = portals.map(({ server }) => `http://127.0.0.1:${server.address().port}`);
  tsunagu = await startTsunagu(origins, mkdtempSync(join(scratch, "data-")), {
    TSUNAGU_ELEMENTS_DIR: join(root, "packages/widgets/dist/browser"),
  });
  const example = (name) => readmeExample(name, tsunagu.url);
  // As the element's README says: Tsunagu's origin, and the consent page's, since browsers check form-action against
  // the redirect that answers the begin POST too.
  plainHeaders["content-security-policy"] += `; form-action 'self' ${tsunagu.url} ${tsunagu.providers.zoom}`;

  // Vite: the README's bundler page as index.html, built into vite-out.
  writeFileSync(join(app, "index.html"), example("bundler-page"));
  await vite.build({ root: app, logLevel: "silent", configFile: false, build: { outDir: "vite-out" } });

  // esbuild, as a portal's own build script would call it, for a page that also imports the class on its own.
  writeFileSync(join(app, "src/main.js"), appSource);
  await esbuild({
    absWorkingDir: app,
    entryPoints: ["src/main.js"],
    bundle: true,
    format: "esm",
    minify: true,
    outfile: "esbuild-out/main.js",
    logLevel: "silent",
  });
  writeFileSync(join(app, "esbuild-out/index.html"), pageHtml("/main.js"));

  // React: the README's component, bundled by esbuild with the automatic JSX runtime.
  writeFileSync(join(app, "src/react-app.tsx"), example("react"));
  await esbuild({
    absWorkingDir: app,
    entryPoints: ["src/react-app.tsx"],
    bundle: true,
    format: "esm",
    minify: true,
    jsx: "automatic",
    outfile: "react-out/main.js",
    logLevel: "silent",
  });
  writeFileSync(
    join(app, "react-out/index.html"),
    pageHtml("/main.js").replace(
      "<integration-accounts></integration-accounts>",
      '<div id="integration-settings"></div>',
    ),
  );

  // No bundler: the README's plain page loading the one-file module from the Tsunagu server, and the same page
  // with the module copied to the portal's own origin under a policy that allows nothing else.
  mkdirSync(join(app, "served-out/js"));
  writeFileSync(join(app, "served-out/index.html"), example("plain-page"));
  writeFileSync(join(app, "served-out/js/tsunagu-setup.js"), example("plain-setup"));
  const servedModule = `${tsunagu.url}/elements/${version}/integration-accounts.js`;
  assert.ok(example("plain-page").includes(servedModule), "the README's plain page loads the module from the server");
  mkdirSync(join(app, "plain-out/js"));
  copyFileSync(
    join(root, "packages/widgets/dist/browser", version, "integration-accounts.js"),
    join(app, "plain-out/integration-accounts.js"),
  );
  writeFileSync(
    join(app, "plain-out/index.html"),
    example("plain-page").replace(servedModule, "/integration-accounts.js"),
  );
  writeFileSync(join(app, "plain-out/js/tsunagu-setup.js"), example("plain-setup"));

  browser = await puppeteer.launch({
    executablePath: chromePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  for (const { server } of portals) server.close();
  tsunagu?.child.kill("SIGTERM");
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("@tsunagu/widgets installed from its tarball outside the workspace", () => {
  it("installs only built JavaScript and declarations, with no tests or TypeScript sources", () => {
    const installed = join(scratch, "app/node_modules/@tsunagu/widgets");
    const files = execFileSync("find", [".", "-type", "f"], { cwd: installed, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    assert.ok(files.includes("./dist/integration-accounts/define.js"), "the define module is missing");
    // Each package carries the licence its manifest names, and a README on what it is.
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    for (const name of ["widgets", "contract"]) {
      const dir = join(scratch, "app/node_modules/@tsunagu", name);
      assert.equal(readFileSync(join(dir, "LICENSE"), "utf8"), license, `@tsunagu/${name} has no LICENSE`);
      assert.ok(existsSync(join(dir, "README.md")), `@tsunagu/${name} has no README`);
    }
    assert.deepEqual(
      files.filter((file) => /\.test\.|test-support|\.ts$/.test(file) && !file.endsWith(".d.ts")),
      [],
    );
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    assert.deepEqual(
      manifest.sideEffects.filter((path) => path.startsWith("./dist")),
      ["./dist/*/define.js", "./dist/react/index.js"],
    );
    assert.ok(manifest.dependencies.lit, "lit is a dependency");
    // Editors and catalogues find the elements' attributes, events and parts through the manifest.
    assert.equal(manifest.customElements, "custom-elements.json");
    assert.ok(files.includes(`./${manifest.customElements}`), "package.json's customElements names no file");
    const elements = JSON.parse(readFileSync(join(installed, manifest.customElements), "utf8"));
    const tags = elements.modules.flatMap((module) =>
      (module.declarations ?? []).map((declaration) => declaration.tagName).filter(Boolean),
    );
    assert.deepEqual(tags.sort(), ["integration-accounts", "schedule-interview", "zoom-host-picker"]);
    // Each module it describes, and each module its references name (a define module's class, a mixin), is one the
    // tarball holds, with its declarations beside it: an editor or Storybook opens them from node_modules.
    const modulePaths = JSON.stringify(elements.modules)
      .match(/"module":"[^"]*"/g)
      .map((reference) => JSON.parse(`{${reference}}`).module)
      .concat(elements.modules.map((module) => module.path));
    const missing = [...new Set(modulePaths)].flatMap((path) =>
      [path, path.replace(/\.[jt]s$/, ".d.ts")].filter((file) => !files.includes(`./${file}`)),
    );
    assert.deepEqual(missing, [], "custom-elements.json names files the tarball does not hold");
  });

  it("type-checks a TypeScript user's code: the tag name and event maps, the classes, the React props", () => {
    const app = join(scratch, "app");
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "ESNext",
          moduleResolution: "Bundler",
          lib: ["ES2023", "DOM"],
          jsx: "react-jsx",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        include: ["src/typed.ts", "src/typed-react.tsx"],
      }),
    );
    const tsc = join(dirname(createRequire(join(root, "package.json")).resolve("typescript/package.json")), "bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: app, encoding: "utf8" });
  });

  const builds = {
    "vite-out": "the README's bundler page built by Vite",
    "esbuild-out": "an esbuild bundle importing the class on its own",
    "react-out": "the README's React component",
    "served-out": "the README's plain page, loading the one-file module from the Tsunagu server,",
    "plain-out": "the README's plain page, the module on its own origin, under script-src, style-src and form-action,",
  };
  for (const [build, what] of Object.entries(builds)) {
    it(`${what} renders in Chromium, connects Zoom through the popup, and logs no error`, async () => {
      const portal = portals.find(({ dir }) => dir === build);
      const origin = `http://127.0.0.1:${portal.server.address().port}`;
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const problems = [];
      const logged = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
        else logged.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(String(error)));
      try {
        await page.goto(`${origin}/?server=${encodeURIComponent(tsunagu.url)}`);
        const zoomCard = () =>
          page.evaluate(
            () =>
              document
                .querySelector("integration-accounts")
                ?.shadowRoot?.querySelector('[data-card="organization:zoom"]')?.textContent ?? "",
          );
        await page.waitForFunction(
          () =>
            Boolean(
              document
                .querySelector("integration-accounts")
                ?.shadowRoot?.querySelector('[data-card="organization:zoom"] [data-primary]'),
            ),
          { timeout: 30_000 },
        );
        assert.match(await zoomCard(), /Not connected/);

        const popupOpened = new Promise((resolve) => context.once("targetcreated", (target) => resolve(target.page())));
        await page.evaluate(() =>
          document
            .querySelector("integration-accounts")
            .shadowRoot.querySelector('[data-card="organization:zoom"] [data-primary]')
            .click(),
        );
        const popup = await popupOpened;
        await popup.waitForSelector('form button[value="allow"]', { timeout: 30_000 });
        await popup.click('input[name="account"][value="zU_hanako"]');
        await popup.click('form button[value="allow"]').catch((error) => {
          if (!/closed|detached/i.test(String(error?.message))) throw error;
        });
        await page.waitForFunction(
          () =>
            !/Not connected/.test(
              document
                .querySelector("integration-accounts")
                ?.shadowRoot?.querySelector('[data-card="organization:zoom"]')?.textContent ?? "Not connected",
            ),
          { timeout: 30_000 },
        );
        assert.match(await zoomCard(), /Connected/);
        // The README's React example logs the provider from its typed onTsunaguLinked prop.
        if (build === "react-out")
          assert.ok(logged.includes("linked zoom"), `onTsunaguLinked did not run: ${logged.join(" | ")}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});

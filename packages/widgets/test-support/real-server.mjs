/**
 * The real Tsunagu server for the *.sandbox.test.ts browser tests: the entry
 * `pnpm start` runs (`node --import tsx src/main.ts`), on a free loopback
 * port, with the sandbox's fake providers, SQLite in a temporary directory,
 * a fresh encryption key and a temporary host registry whose one host is
 * this test server's origin. It starts on the first request for it and stops
 * with the test run.
 *
 * For the browser:
 *   GET  /__tsunagu-real/server   → {url, providers}: the server's URL and the fakes' (starts it)
 *   POST /__tsunagu-real/token    {sub, org, role, email, name?, locale?} → {token}: a host token,
 *                                  as the portal's backend would sign it
 * Commands (executeServerCommand from @web/test-runner-commands):
 *   tsunagu-consent {account, decision?, uncheck?}  acts on the newest provider page the test
 *                                  page opened: picks the account, unticks optional scopes, and
 *                                  presses Allow or Deny (a person's clicks, through puppeteer)
 *   tsunagu-open-elsewhere {url, postSecretFrom?}  another person's browser (a fresh browser
 *                                  context, sharing no cookies with the test page): opens `url` as a
 *                                  clicked link, or with postSecretFrom {origin, secret}, from a page
 *                                  on `origin` that posts a form with that secret to `url`;
 *                                  → {status, code}: the answer's status and its data-error-code
 */
import { spawn } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const serverPackage = fileURLToPath(new URL("../../server/", import.meta.url));
const hostId = "wtr-portal";

export function realTsunaguServer() {
  const secret = randomBytes(32);
  let origins = [];
  let running;
  let starting;

  function ensureStarted() {
    if (running) return Promise.resolve(running);
    starting ??= start(origins, secret).then((server) => (running = server));
    return starting;
  }

  async function middleware(context, next) {
    if (context.path === "/__tsunagu-real/server") {
      const server = await ensureStarted();
      return json(context, 200, { url: server.url, providers: server.providers });
    }
    if (context.path === "/__tsunagu-real/token" && context.method === "POST") {
      const claims = JSON.parse((await readText(context.req)) || "{}");
      return json(context, 200, { token: hostToken(secret, claims) });
    }
    return next();
  }

  const plugin = {
    name: "tsunagu-real-server",
    serverStart({ config }) {
      const port = config.port;
      // The browser may reach the test server by either name: the host registers both.
      origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://${config.hostname}:${port}`];
    },
    async serverStop() {
      await running?.stop();
    },
    async executeCommand({ command, payload, session }) {
      if (command === "tsunagu-open-elsewhere") return openElsewhere(session, payload);
      if (command !== "tsunagu-consent") return undefined;
      const server = await ensureStarted();
      return consent(session, server, payload ?? {});
    },
  };

  return { middleware, plugin };
}

async function start(origins, secret) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-wtr-"));
  const hostsFile = join(dataDir, "hosts.json");
  writeFileSync(
    hostsFile,
    JSON.stringify([
      { id: hostId, origins: [...new Set(origins)], secret: secret.toString("base64url"), algorithms: ["HS256"] },
    ]),
    { mode: 0o600 },
  );
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverPackage,
    // Nothing inherited but PATH: a DATABASE_URL in the shell must not send the tests to PostgreSQL.
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      TSUNAGU_PUBLIC_URL: url,
      TSUNAGU_DATA_DIR: dataDir,
      TSUNAGU_HOSTS_FILE: hostsFile,
      TSUNAGU_ENCRYPTION_KEYS: `wtr:${randomBytes(32).toString("base64url")}`,
      TSUNAGU_SANDBOX: "1",
      TSUNAGU_SANDBOX_PORT: "0",
      TSUNAGU_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };

  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) {
        const health = await response.json();
        return { url, providers: health.providers ?? {}, stop, output: () => output };
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`the Tsunagu server did not start:\n${output}`);
}

/** An HS256 host token with the claims ARCHITECTURE.md lists, valid for 15 minutes. */
function hostToken(secret, claims) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: hostId, aud: "tsunagu", iat: now, exp: now + 900, jti: randomUUID(), ...claims };
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
  return `${signingInput}.${createHmac("sha256", secret).update(signingInput).digest("base64url")}`;
}

/**
 * Finds the newest window the test page opened that shows a sandbox provider
 * page with a consent form, and answers it as a person would.
 */
async function consent(session, server, { account, decision = "allow", uncheck = [], timeoutMs = 10_000 }) {
  const page = session.browser.getPage(session.id);
  const browser = page.browser();
  const fakeOrigins = Object.values(server.providers);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const popups = browser
      .targets()
      .filter(
        (target) =>
          target.type() === "page" &&
          target.opener() === page.target() &&
          fakeOrigins.some((origin) => target.url().startsWith(origin)),
      );
    const popup = await popups.at(-1)?.page();
    if (popup && (await popup.$('form button[value="allow"]'))) {
      if (account !== undefined) {
        const radio = await popup.$(`input[name="account"][value="${cssString(account)}"]`);
        if (!radio) throw new Error(`the ${new URL(popup.url()).origin} consent page offers no account ${account}`);
        await radio.click();
      }
      for (const scope of uncheck) {
        const box = await popup.$(`input[type="checkbox"][name="scope"][value="${cssString(scope)}"]`);
        if (!box) throw new Error(`the consent page offers no optional scope ${scope}`);
        if (await box.evaluate((input) => input.checked)) await box.click();
      }
      const url = popup.url();
      const html = process.env.TSUNAGU_DEBUG ? await popup.content() : undefined;
      try {
        await popup.click(`form button[value="${decision}"]`);
      } catch (error) {
        // The click went through and the outcome page already closed the popup.
        if (!/closed|detached/i.test(String(error?.message))) throw error;
      }
      return { url, html };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no sandbox consent page opened by the test page within ${timeoutMs} ms`);
}

async function openElsewhere(session, { url, postSecretFrom }) {
  const context = await session.browser.getPage(session.id).browser().createBrowserContext();
  try {
    const page = await context.newPage();
    let response;
    if (postSecretFrom) {
      await page.goto(postSecretFrom.origin);
      [response] = await Promise.all([
        page.waitForNavigation(),
        page.evaluate(
          (action, secret) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = action;
            const field = document.createElement("input");
            field.name = "secret";
            field.value = secret;
            form.append(field);
            document.body.append(form);
            form.submit();
          },
          url,
          postSecretFrom.secret,
        ),
      ]);
    } else {
      response = await page.goto(url);
    }
    const code = await page
      .$eval("[data-error-code]", (element) => element.getAttribute("data-error-code"))
      .catch(() => null);
    return { status: response?.status() ?? null, code };
  } finally {
    await context.close();
  }
}

function cssString(value) {
  return String(value).replace(/["\\]/g, "\\$&");
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function json(context, status, body) {
  context.status = status;
  context.type = "application/json";
  context.body = JSON.stringify(body);
}

async function readText(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

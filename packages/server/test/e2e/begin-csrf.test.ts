/**
 * Issue 7, item 4 (account-linking CSRF), over real HTTP against the real
 * server process (`src/main.ts`) and the Zoom fake: a recruiter starts a link
 * and hands the begin URL (or even its secret) to a colleague. Whatever the
 * colleague's browser does with it, by a click, from a page of another site,
 * or without an Origin, nothing begins; only the form the recruiter's own
 * portal page submits does, once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zoomSandboxEndpoints } from "../../src/sandbox/zoom/index.ts";
import { startZoom, walkConsent, type ZoomHarness } from "../providers/zoom-support.ts";
import { portalClaims, randomSecret, secretKey, signToken, temporaryHostsFile } from "../support/hosts.ts";
import {
  encryptionKeyEntry,
  isolatedDatabaseUrl,
  type ServerProcess,
  startServerProcess,
} from "../support/server-process.ts";
import { beginRequest, errorCodeOnPage, postedMessage, type StartedFlow } from "../support/round-trip.ts";

const portal = "https://portal.example";
const careers = "https://careers.portal.example";
const hostSecret = randomSecret();
const hosts = temporaryHostsFile([
  { id: "csrf-portal", origins: [portal, careers], secret: hostSecret, algorithms: ["HS256"] },
]);
const systemClock = { now: () => new Date() };

let zoom: ZoomHarness;
let database: Awaited<ReturnType<typeof isolatedDatabaseUrl>>;
let server: ServerProcess;

interface Person {
  sub: string;
  role: "admin" | "recruiter";
}
const hanako: Person = { sub: "hanako", role: "admin" };
const ken: Person = { sub: "ken", role: "recruiter" };

async function api(person: Person, method: string, path: string, body?: unknown): Promise<Response> {
  const token = await signToken(
    secretKey(hostSecret),
    portalClaims(systemClock, "csrf-portal", {
      sub: person.sub,
      org: "sakura",
      role: person.role,
      email: `${person.sub}@sakura.example`,
    }),
  );
  return fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      origin: portal,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function start(person: Person, purpose: "org" | "personal"): Promise<StartedFlow> {
  const started = await api(person, "POST", "/v1/oauth/zoom/start", { purpose, returnMode: "popup" });
  expect(started.status).toBe(201);
  return (await started.json()) as StartedFlow;
}

/** A browser's begin request: the form POST (origin and secret as given), or a plain navigation (GET). */
async function beginAs(
  started: StartedFlow,
  request: { method: "POST"; origin: string | null; secret?: string | null } | { method: "GET" },
): Promise<Response> {
  if (request.method === "GET") return fetch(onServer(started.url), { redirect: "manual" });
  const { path, init } = beginRequest(
    started,
    request.origin,
    request.secret === undefined ? started.beginSecret : request.secret,
  );
  return fetch(new URL(path, server.baseUrl), { ...init, redirect: "manual" });
}

/** The server's public URL may differ from where the test reaches it: keep path and query. */
function onServer(address: string): URL {
  const url = new URL(address);
  return new URL(url.pathname + url.search, server.baseUrl);
}

/** A begin that was refused: a page with `code`, no binding cookie, no redirect. */
async function expectRefused(response: Response, code: string): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  expect(response.headers.get("set-cookie")).toBeNull();
  const html = await response.text();
  expect(errorCodeOnPage(html)).toBe(code);
  expect(postedMessage(html)).toBeUndefined();
}

/** After a begun flow: the Zoom consent as `zoomUser`, then our callback with the binding cookie; what it posts. */
async function finish(begun: Response, zoomUser: string): Promise<Record<string, unknown> | undefined> {
  expect(begun.status).toBe(303);
  const cookie = (begun.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { location } = await walkConsent(zoom, {
    url: new URL(begun.headers.get("location") ?? ""),
    account: zoomUser,
  });
  const callback = await fetch(onServer(location.toString()), { headers: { cookie }, redirect: "manual" });
  return postedMessage(await callback.text())?.message;
}

async function flowStatus(person: Person, flow: string): Promise<string> {
  return ((await (await api(person, "GET", `/v1/oauth/flows/${flow}`)).json()) as { status: string }).status;
}

beforeAll(async () => {
  zoom = await startZoom();
  database = await isolatedDatabaseUrl();
  server = await startServerProcess({
    TSUNAGU_HOSTS_FILE: hosts.file,
    TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
    TSUNAGU_LOG_LEVEL: "warn",
    DATABASE_URL: database.url,
    TSUNAGU_ZOOM_CLIENT_ID: zoom.running.context.clientId,
    TSUNAGU_ZOOM_CLIENT_SECRET: zoom.running.context.clientSecret,
    TSUNAGU_PROVIDER_ENDPOINTS: JSON.stringify({ zoom: zoomSandboxEndpoints(zoom.running.baseUrl) }),
  });
  const org = await start(hanako, "org");
  expect(await finish(await beginAs(org, { method: "POST", origin: portal }), "zU_hanako")).toMatchObject({
    status: "linked",
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await zoom?.close();
  await database?.drop();
  hosts.cleanup();
});

describe("a begin URL handed to someone else", () => {
  it("does not begin when opened by a click (GET), and creates no state", async () => {
    const started = await start(ken, "personal");
    await expectRefused(await beginAs(started, { method: "GET" }), "begin_not_from_portal");
    expect(await flowStatus(ken, started.flow)).toBe("created");
  });

  it(
    "does not begin from a page of another site, another origin of the portal, an opaque origin, or with no Origin, " +
      "even with the secret",
    async () => {
      const started = await start(ken, "personal");
      for (const origin of ["https://evil.example", careers, "null", null]) {
        await expectRefused(await beginAs(started, { method: "POST", origin }), "begin_not_from_portal");
      }
      expect(await flowStatus(ken, started.flow)).toBe("created");
    },
  );

  it("does not begin from the portal's origin without the secret or with a wrong one", async () => {
    const started = await start(ken, "personal");
    const another = await start(ken, "personal");
    for (const secret of [null, "", randomSecret(), another.beginSecret]) {
      await expectRefused(await beginAs(started, { method: "POST", origin: portal, secret }), "begin_secret_invalid");
    }
    expect(await flowStatus(ken, started.flow)).toBe("created");
  });

  it(
    "begins from the portal's page with the secret, links the " + "starter's account, and refuses a replayed begin",
    async () => {
      const started = await start(ken, "personal");
      // A refused attempt first: it spends nothing.
      await expectRefused(await beginAs(started, { method: "GET" }), "begin_not_from_portal");
      const begun = await beginAs(started, { method: "POST", origin: portal });
      expect(new URL(begun.headers.get("location") ?? "").origin).toBe(zoom.running.baseUrl);
      expect(begun.headers.get("set-cookie")).toMatch(
        new RegExp(
          `^tsunagu_oauth_${started.flow}=[A-Za-z0-9_-]{43}; Max-Age=\\d+; Path=/oauth/zoom/; HttpOnly; SameSite=Lax$`,
        ),
      );
      await expectRefused(await beginAs(started, { method: "POST", origin: portal }), "flow_used");

      expect(await finish(begun, "zU_ken")).toMatchObject({ status: "linked", flow: started.flow });
      const accounts = (await (await api(ken, "GET", "/v1/accounts")).json()) as {
        accounts: Array<{ externalUserId: string }>;
      };
      expect(accounts.accounts.map((account) => account.externalUserId)).toEqual(["zU_ken"]);
    },
  );
});

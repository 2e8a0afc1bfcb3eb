/**
 * A stateful fake of the accounts and OAuth routes, for the element's unit
 * tests (the real server is driven by the *.sandbox.test.ts files). It keeps
 * one state per `org` claim, so every test seeds its own tenant, and it
 * answers with the server's shapes (packages/server/src/accounts/views.ts,
 * src/oauth/flows.ts, src/oauth/outcome.ts), including a popup page with
 * Allow and Deny buttons that posts `{type: "tsunagu:oauth", …}` to its
 * opener at the recorded origin, or redirects back in redirect mode.
 *
 *   POST /fake-tsunagu/control/seed          {org, role?, providers?, connections?, accounts?, outcomes?, failures?,
 * flowLifetimeMs?}
 *   GET  /fake-tsunagu/control/requests?org= what the element sent, in order
 *   GET  /fake-tsunagu/v1/me, /v1/accounts, /v1/oauth/flows/:flow
 *   POST /fake-tsunagu/v1/accounts/:id/default, /v1/oauth/:provider/start
 *   DELETE /fake-tsunagu/v1/accounts/:id, /v1/connections/:provider
 *   POST /fake-tsunagu/oauth/:provider/consent?flow=   begin and the "provider" page at once: like the
 *                                      server's begin, only a POST of the flow's begin `secret` from the
 *                                      origin that started it shows the page (a GET, or another origin: 400)
 *   POST /fake-tsunagu/oauth/:provider/decide           its Allow / Deny
 *
 * `outcomes` is a queue of what the next flows end with: `{account: {…}}`,
 * `{connection: {…}, adminAccount?: {…}}` (the admin's own account the
 * connection links too) or `{error: {code, message}}`; an empty queue links a
 * made-up account. `failures` maps "METHOD /v1/path" to an error envelope
 * `{status, code, message, details?}` answered once. Flows live
 * `flowLifetimeMs` (ten minutes, as on the server); one nobody finished in
 * time reports `expired` with `flow_expired`, as the server does.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { json, readClaims, readJson, readText } from "./fake-http.mjs";

const allProviders = [
  { provider: "slack", purposes: ["org", "personal", "signin"] },
  { provider: "google", purposes: ["org", "personal"] },
  { provider: "microsoft", purposes: ["org", "personal"] },
  { provider: "zoom", purposes: ["org", "personal"] },
];

const tenants = new Map();

export async function fakeAccountsApi(context, next) {
  const path = context.path;
  if (path === "/fake-tsunagu/control/seed" && context.method === "POST") return seed(context);
  if (path === "/fake-tsunagu/control/requests")
    return json(context, 200, tenants.get(context.query.org)?.requests ?? []);
  const browser = /^\/fake-tsunagu\/oauth\/([a-z]+)\/(consent|decide)$/.exec(path);
  if (browser) return browserRoute(context, browser[1], browser[2]);
  const api = /^\/fake-tsunagu(\/v1\/(?:me|accounts.*|connections\/.*|oauth\/.*))$/.exec(path);
  if (!api) return next();

  const claims = readClaims(context.get("authorization"));
  const tenant = claims && tenants.get(claims.org);
  if (!tenant) return next();
  const route = `${context.method} ${api[1]}`;
  const body = context.method === "GET" || context.method === "DELETE" ? undefined : await readJson(context.req);
  tenant.requests.push({ route, body: body ?? null });

  const failure = tenant.failures[route];
  if (failure) {
    delete tenant.failures[route];
    return json(context, failure.status, {
      error: { code: failure.code, message: failure.message, ...(failure.details ? { details: failure.details } : {}) },
    });
  }
  return apiRoute(context, tenant, claims, route, body);
}

async function seed(context) {
  const input = await readJson(context.req);
  if (!input?.org) return json(context, 400, { error: { code: "invalid_body", message: "seed needs an org" } });
  const now = new Date().toISOString();
  tenants.set(input.org, {
    role: input.role ?? "recruiter",
    providers: input.providers ?? allProviders,
    connections: (input.connections ?? []).map((connection) =>
      connectionView({ createdAt: now, updatedAt: now, ...connection }),
    ),
    accounts: (input.accounts ?? []).map((account) => accountView({ createdAt: now, updatedAt: now, ...account })),
    outcomes: input.outcomes ?? [],
    failures: input.failures ?? {},
    flowLifetimeMs: input.flowLifetimeMs ?? 600_000,
    flows: new Map(),
    requests: [],
  });
  return json(context, 201, { org: input.org });
}

function apiRoute(context, tenant, claims, route, body) {
  const admin = (claims.role ?? tenant.role) === "admin";
  if (route === "GET /v1/me") {
    return json(context, 200, {
      host: "fake-host",
      org: claims.org,
      user: claims.sub ?? "user",
      role: claims.role ?? tenant.role,
      email: claims.email ?? "user@example.com",
    });
  }
  if (route === "GET /v1/accounts") {
    return json(context, 200, {
      providers: tenant.providers,
      connections: tenant.connections.map((connection) => ({ ...connection, canManage: admin })),
      accounts: tenant.accounts,
    });
  }
  let match = /^POST \/v1\/accounts\/([^/]+)\/default$/.exec(route);
  if (match) {
    const account = tenant.accounts.find((candidate) => candidate.id === decodeURIComponent(match[1]));
    if (!account)
      return json(context, 404, { error: { code: "account_not_found", message: "No such account among yours." } });
    if (account.status !== "active")
      return json(context, 409, {
        error: { code: "account_not_active", message: "Only an active account can be the default." },
      });
    for (const other of tenant.accounts)
      if (other.provider === account.provider) other.isDefault = other.id === account.id;
    return json(context, 200, { account });
  }
  match = /^DELETE \/v1\/accounts\/([^/]+)$/.exec(route);
  if (match) {
    const account = tenant.accounts.find((candidate) => candidate.id === decodeURIComponent(match[1]));
    if (!account)
      return json(context, 404, { error: { code: "account_not_found", message: "No such account among yours." } });
    tenant.accounts = tenant.accounts.filter((candidate) => candidate !== account);
    let newDefaultAccountId;
    if (account.isDefault) {
      const next = tenant.accounts.find(
        (candidate) => candidate.provider === account.provider && candidate.status === "active",
      );
      if (next) {
        next.isDefault = true;
        newDefaultAccountId = next.id;
      }
    }
    const revoked = account.provider !== "microsoft";
    return json(context, 200, {
      unlinked: { id: account.id, provider: account.provider },
      revokedAtProvider: revoked,
      ...(revoked ? {} : { note: "Microsoft offers no revocation; our tokens are deleted." }),
      ...(newDefaultAccountId ? { newDefaultAccountId } : {}),
    });
  }
  match = /^DELETE \/v1\/connections\/([a-z]+)$/.exec(route);
  if (match) {
    if (!admin)
      return json(context, 403, { error: { code: "admin_required", message: "Only an administrator can do this." } });
    const connection = tenant.connections.find((candidate) => candidate.provider === match[1]);
    if (!connection)
      return json(context, 404, {
        error: { code: "connection_not_found", message: `The organisation has no ${match[1]} connection.` },
      });
    tenant.connections = tenant.connections.filter((candidate) => candidate !== connection);
    const affected = tenant.accounts.filter((account) => account.provider === connection.provider);
    for (const account of affected)
      Object.assign(account, { status: "needs_reauth", statusReason: "org_disconnected" });
    return json(context, 200, {
      disconnected: {
        id: connection.id,
        provider: connection.provider,
        externalId: connection.externalId,
        displayName: connection.displayName,
      },
      stopsWorking: [{ feature: "personal_links", message: "Nobody can link until the organisation connects again." }],
      affectedAccounts: affected.map((account) => ({
        id: account.id,
        userId: claims.sub,
        email: account.email,
        displayName: account.displayName,
      })),
      revokedAtProvider: true,
    });
  }
  match = /^POST \/v1\/oauth\/([a-z]+)\/start$/.exec(route);
  if (match) {
    const provider = match[1];
    if (!tenant.providers.some((offer) => offer.provider === provider))
      return json(context, 404, {
        error: { code: "provider_unavailable", message: `Linking ${provider} is not available.` },
      });
    if (body?.purpose === "org" && !admin)
      return json(context, 403, {
        error: { code: "admin_required", message: "Only an administrator can connect the organisation." },
      });
    if (body?.purpose === "personal" && !tenant.connections.some((connection) => connection.provider === provider)) {
      return json(context, 409, {
        error: { code: "org_connection_missing", message: "Your organisation has not connected this provider yet." },
      });
    }
    const origin = context.get("origin") || `http://${context.get("host")}`;
    const flow = randomUUID();
    const expiresAt = new Date(Date.now() + tenant.flowLifetimeMs).toISOString();
    const beginSecret = randomBytes(32).toString("base64url");
    tenant.flows.set(flow, {
      flow,
      provider,
      purpose: body?.purpose,
      returnMode: body?.returnMode,
      returnUrl: body?.returnUrl ?? null,
      origin,
      beginSecret,
      status: "created",
      expiresAt,
      tenant,
      sub: claims.sub,
    });
    flowsById.set(flow, tenant.flows.get(flow));
    return json(context, 201, {
      flow,
      url: `${origin}/fake-tsunagu/oauth/${provider}/consent?flow=${flow}`,
      beginSecret,
      expiresAt,
    });
  }
  match = /^GET \/v1\/oauth\/flows\/([^/]+)$/.exec(route);
  if (match) {
    const flow = tenant.flows.get(decodeURIComponent(match[1]));
    if (!flow)
      return json(context, 404, { error: { code: "flow_unknown", message: "No such linking flow for this user." } });
    return json(context, 200, flowStatus(flow));
  }
  return json(context, 404, { error: { code: "not_found", message: `No fake route ${route}.` } });
}

const flowsById = new Map();

async function browserRoute(context, provider, step) {
  if (step === "consent") {
    const flow = flowsById.get(context.query.flow);
    if (!flow || flow.provider !== provider) return page(context, 400, "<p>Unknown flow.</p>");
    const secret = context.method === "POST" ? new URLSearchParams(await readText(context.req)).get("secret") : null;
    if (context.get("origin") !== flow.origin || secret !== flow.beginSecret)
      return page(context, 400, '<p data-error-code="begin_not_from_portal">Start linking from the portal.</p>');
    if (flow.status !== "created") return page(context, 400, '<p data-error-code="flow_used">Already begun.</p>');
    flow.status = "started";
    return page(
      context,
      200,
      `<h1>${provider} (fake)</h1>
      <form method="post" action="/fake-tsunagu/oauth/${provider}/decide">
        <input type="hidden" name="flow" value="${flow.flow}">
        <button type="submit" name="decision" value="deny">Deny</button>
        <button type="submit" name="decision" value="allow">Allow</button>
      </form>`,
    );
  }
  const form = new URLSearchParams(await readText(context.req));
  const flow = flowsById.get(form.get("flow"));
  if (flow?.status !== "started") return page(context, 400, "<p>Unknown or finished flow.</p>");
  const result =
    form.get("decision") === "allow"
      ? complete(flow)
      : { error: { code: "consent_denied", message: "Access was not allowed at the provider." } };
  Object.assign(flow, result.error ? { status: "error", error: result.error } : { status: "linked", ...result });
  const message = {
    type: "tsunagu:oauth",
    flow: flow.flow,
    status: flow.status,
    provider: flow.provider,
    purpose: flow.purpose,
    ...result,
  };
  if (flow.returnMode === "redirect" && flow.returnUrl) {
    const back = new URL(flow.returnUrl);
    back.searchParams.set("tsunagu_oauth", flow.status);
    back.searchParams.set("flow", flow.flow);
    if (result.error) back.searchParams.set("code", result.error.code);
    context.redirect(back.toString());
    return;
  }
  return page(
    context,
    flow.status === "linked" ? 200 : 400,
    `<p>${flow.status}</p><script>if (window.opener) { window.opener.postMessage(${JSON.stringify(message)}, ` +
      `${JSON.stringify(flow.origin)}); window.close(); }</script>`,
  );
}

/** Applies the next queued outcome (or links a made-up account) and returns the ids or the refusal. */
function complete(flow) {
  const { tenant } = flow;
  const outcome = tenant.outcomes.shift() ?? {};
  if (outcome.error) return { error: outcome.error };
  const now = new Date().toISOString();
  if (flow.purpose === "org") {
    const existing = tenant.connections.find((connection) => connection.provider === flow.provider);
    const connection = connectionView({
      id: existing?.id ?? randomUUID(),
      provider: flow.provider,
      connectedBy: flow.sub,
      createdAt: now,
      updatedAt: now,
      ...outcome.connection,
    });
    tenant.connections = [...tenant.connections.filter((candidate) => candidate !== existing), connection];
    // As the server does: the admin's own Google, Microsoft or Zoom identity is linked with the same grant (Slack's bot
    // install is not a person).
    if (
      flow.provider !== "slack" &&
      outcome.adminAccount &&
      !tenant.accounts.some((account) => account.externalUserId === outcome.adminAccount.externalUserId)
    ) {
      const isDefault = !tenant.accounts.some((account) => account.provider === flow.provider && account.isDefault);
      tenant.accounts.push(
        accountView({
          provider: flow.provider,
          externalAccountId: connection.externalId,
          isDefault,
          createdAt: now,
          updatedAt: now,
          ...outcome.adminAccount,
        }),
      );
    }
    return { connectionId: connection.id };
  }
  const identity = outcome.account ?? {};
  const existing = tenant.accounts.find(
    (account) =>
      account.provider === flow.provider &&
      identity.externalUserId &&
      account.externalUserId === identity.externalUserId,
  );
  if (existing) {
    if (existing.status === "active")
      return { error: { code: "account_already_linked", message: "This account is already linked to your profile." } };
    Object.assign(existing, { status: "active", statusReason: null, updatedAt: now });
    return { accountId: existing.id };
  }
  const isDefault = !tenant.accounts.some((account) => account.provider === flow.provider && account.isDefault);
  const account = accountView({ provider: flow.provider, isDefault, createdAt: now, updatedAt: now, ...identity });
  tenant.accounts.push(account);
  return { accountId: account.id };
}

function flowStatus(flow) {
  const base = { flow: flow.flow, provider: flow.provider, purpose: flow.purpose, expiresAt: flow.expiresAt };
  if (flow.status === "linked")
    return {
      ...base,
      status: "linked",
      ...(flow.accountId ? { accountId: flow.accountId } : {}),
      ...(flow.connectionId ? { connectionId: flow.connectionId } : {}),
    };
  if (flow.status === "error") return { ...base, status: "error", error: flow.error };
  if (Date.parse(flow.expiresAt) <= Date.now())
    return {
      ...base,
      status: "expired",
      error: {
        code: "flow_expired",
        message: "This sign-in link has expired. Start linking again from the integration settings.",
      },
    };
  return { ...base, status: flow.status };
}

function connectionView(input) {
  const id = input.id ?? randomUUID();
  return {
    id,
    provider: input.provider,
    externalId: input.externalId ?? `ext-${id.slice(0, 8)}`,
    displayName: input.displayName ?? `${input.provider} organisation`,
    detail: input.detail ?? {},
    status: input.status ?? "active",
    statusReason: input.statusReason ?? null,
    connectedBy: input.connectedBy ?? "admin",
    createdAt: input.createdAt,
    updatedAt: input.updatedAt,
  };
}

function accountView(input) {
  const id = input.id ?? randomUUID();
  return {
    id,
    provider: input.provider,
    externalUserId: input.externalUserId ?? `user-${id.slice(0, 8)}`,
    externalAccountId: input.externalAccountId ?? "",
    email: input.email ?? null,
    displayName: input.displayName ?? `Account ${id.slice(0, 4)}`,
    detail: input.detail ?? {},
    status: input.status ?? "active",
    statusReason: input.statusReason ?? null,
    isDefault: input.isDefault ?? false,
    createdAt: input.createdAt,
    updatedAt: input.updatedAt,
  };
}

function page(context, status, body) {
  context.status = status;
  context.type = "text/html";
  context.body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake ` +
    `provider</title></head><body>${body}</body></html>`;
}

/**
 * The official libraries' own paths against the fake, beyond what our client
 * uses: google-auth-library's code exchange, refresh, revoke and
 * verifyIdToken, its refresh-and-retry on a 401 when no expiry is known, and
 * googleapis' oauth2 v2 userinfo under an overridden rootUrl. They show the
 * fake would serve a client written straight on the library.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auth, calendar } from "googleapis/build/src/apis/calendar/index.js";
import { oauth2 } from "googleapis/build/src/apis/oauth2/index.js";
import { authorize, type GoogleHarness, hanako, link, redirectUri, startGoogle } from "./google-support.ts";

let harness: GoogleHarness;
beforeAll(async () => {
  harness = await startGoogle();
});
afterAll(() => harness.fake.close());
beforeEach(() => harness.fake.control("/reset"));

/** google-auth-library's OAuth2Client with every endpoint on the fake, PEM certs included. */
function library() {
  const { endpoints } = harness.app;
  return new auth.OAuth2({
    clientId: harness.app.clientId,
    clientSecret: harness.app.clientSecret,
    endpoints: {
      oauth2AuthBaseUrl: endpoints.authorizeUrl,
      oauth2TokenUrl: endpoints.tokenUrl,
      oauth2RevokeUrl: endpoints.revokeUrl,
      oauth2FederatedSignonPemCertsUrl: `${harness.fake.baseUrl}/oauth2/v1/certs`,
    },
    issuers: [endpoints.issuer],
  });
}

describe("google-auth-library against the fake", () => {
  it("exchanges a code with its PKCE verifier, and verifies the id_token with the fake as issuer", async () => {
    const { code, verifier } = await authorize(harness, hanako);
    const client = library();
    const { tokens } = await client.getToken({ code, codeVerifier: verifier, redirect_uri: redirectUri });
    expect(tokens).toMatchObject({
      token_type: "Bearer",
      access_token: expect.stringMatching(/^ya29\./),
      refresh_token: expect.stringMatching(/^1\/\//),
    });
    const ticket = await client.verifyIdToken({ idToken: tokens.id_token ?? "", audience: harness.app.clientId });
    expect(ticket.getPayload()).toMatchObject({
      iss: harness.fake.baseUrl,
      email: hanako,
      hd: "sakura-recruit.example",
    });
  });

  it("refreshes and retries once by itself on a 401 when it holds a refresh token and no expiry", async () => {
    const tokens = await link(harness, hanako);
    await harness.fake.control("/expire-tokens");
    const client = library();
    client.setCredentials({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken });
    const service = calendar({ version: "v3", auth: client, rootUrl: harness.app.endpoints.apiRootUrl, retry: false });
    const now = harness.fake.clock.now();
    const answer = await service.freebusy.query({
      requestBody: {
        timeMin: now.toISOString(),
        timeMax: new Date(now.getTime() + 86_400_000).toISOString(),
        items: [{ id: hanako }],
      },
    });
    expect(answer.status).toBe(200);
    expect(await harness.fake.calls("POST /calendar/v3/freeBusy")).toBe(2);
    expect(await harness.fake.calls("POST /token")).toBe(2);
    // The refresh answer had no refresh_token: the library kept the one it held.
    expect(client.credentials.refresh_token).toBe(tokens.refreshToken);
    expect(client.credentials.access_token).not.toBe(tokens.accessToken);
  });

  it("revokes a token", async () => {
    const tokens = await link(harness, hanako);
    const response = await library().revokeToken(tokens.accessToken);
    expect(response.status).toBe(200);
    await expect(harness.client.oauth.refresh(tokens.refreshToken ?? "")).rejects.toMatchObject({
      code: "invalid_grant",
    });
  });
});

describe("Calendar paths the fake does not serve", () => {
  it(
    "answer Google's JSON 404 envelope, as an unknown " + "calendar does, to googleapis and to a plain request",
    async () => {
      const tokens = await link(harness, hanako);
      const client = library();
      client.setCredentials({ access_token: tokens.accessToken });
      const service = calendar({
        version: "v3",
        auth: client,
        rootUrl: harness.app.endpoints.apiRootUrl,
        retry: false,
      });
      const envelope = {
        error: {
          code: 404,
          message: "Not Found",
          errors: [{ domain: "global", reason: "notFound", message: "Not Found" }],
        },
      };
      await expect(service.settings.list()).rejects.toMatchObject({ status: 404, response: { data: envelope } });
      await expect(service.calendarList.list()).rejects.toMatchObject({ status: 404, response: { data: envelope } });
      // The same body as an event on a calendar the caller does not own.
      await expect(
        service.events.get({ calendarId: "someone-else@sakura-recruit.example", eventId: "e1" }),
      ).rejects.toMatchObject({ status: 404, response: { data: envelope } });
      const raw = await fetch(`${harness.fake.baseUrl}/calendar/v3/no/such/path`, {
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      expect(raw.status).toBe(404);
      expect(raw.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await raw.json()).toMatchObject(envelope);
    },
  );
});

describe("googleapis under an overridden rootUrl", () => {
  it("reaches /oauth2/v2/userinfo on the fake's origin", async () => {
    const tokens = await link(harness, hanako);
    const client = library();
    client.setCredentials({ access_token: tokens.accessToken });
    const { data } = await oauth2({
      version: "v2",
      auth: client,
      rootUrl: harness.app.endpoints.apiRootUrl,
    }).userinfo.get();
    expect(data).toMatchObject({ email: hanako, verified_email: true, hd: "sakura-recruit.example" });
    expect(await harness.fake.calls("GET /oauth2/v2/userinfo")).toBe(1);
  });
});

import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonBody } from "../../src/http/json-body.ts";
import type { OpenApiDocument } from "../../src/openapi/document.ts";
import { documented } from "../../src/openapi/route-doc.ts";
import { accountEventBody, connectionEventBody, interviewEventBody } from "../../src/webhooks/events.ts";
import { confirmedInterview } from "../notices/interview-views.ts";
import { answerContract, undocumentedRoutes, webhookProblem } from "../support/openapi-contract.ts";
import { createTestApp, publicUrl, type TestApp } from "../support/test-app.ts";

const admin = { sub: "u-admin", org: "acme", role: "admin" } as const;

describe("GET /openapi.json", () => {
  let t: TestApp<"google" | "microsoft" | "zoom" | "slack">;
  let document: OpenApiDocument;
  beforeAll(async () => {
    t = await createTestApp({ providers: ["google", "microsoft", "zoom", "slack"] });
    document = (await (await t.app.request("/openapi.json")).json()) as OpenApiDocument;
  });
  afterAll(() => t.close());

  it("is served without a token, cacheable, and revalidates by ETag", async () => {
    const response = await t.app.request("/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const etag = response.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await t.app.request("/openapi.json", { headers: { "If-None-Match": etag ?? "" } });
    expect(again.status).toBe(304);
  });

  it("is OpenAPI 3.1 that Redocly's recommended rules lint without a problem", async () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: publicUrl }]);
    // POST /v1/oauth/{provider}/start and GET /v1/oauth/flows/{flow} share a path shape, never a method.
    const config = await createConfig({ extends: ["recommended"], rules: { "no-ambiguous-paths": "off" } });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "openapi.json", config });
    expect(problems.map((problem) => `${problem.ruleId} ${problem.message} ${problem.location[0]?.pointer}`)).toEqual(
      [],
    );
  });

  it("lists every /v1 route the app has", () => {
    expect(Object.keys(document.paths).length).toBeGreaterThan(20);
    expect(undocumentedRoutes(t.app.routes, document)).toEqual([]);
  });

  it("takes request bodies, queries and path parameters from the schemas the routes validate with", () => {
    const hold = document.paths["/v1/zoom/holds"]?.post;
    expect(hold?.requestBody?.content["application/json"].schema).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["zoomUserId", "start", "end"]),
    });
    const hosts = document.paths["/v1/zoom/hosts"]?.get;
    expect(hosts?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "start", in: "query", required: true }),
        expect.objectContaining({ name: "participants", in: "query", required: false }),
      ]),
    );
    const template = document.paths["/v1/templates/{key}/{language}"]?.put;
    expect(template?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "language", in: "path", schema: { type: "string", enum: ["ja", "en"] } }),
      ]),
    );
    const availability = document.paths["/v1/availability"]?.post?.requestBody?.content["application/json"].schema;
    expect(availability).toMatchObject({
      additionalProperties: false,
      required: expect.arrayContaining(["participants"]),
      properties: {
        peopleBusy: { type: "string", enum: ["all", "working_hours", "none"], description: expect.any(String) },
      },
    });
    expect((availability as { required: string[] }).required).not.toContain("peopleBusy");
  });

  it("names the error codes each route answers, by status, in the error envelope", () => {
    const confirm = document.paths["/v1/zoom/holds/{id}/confirm"]?.post?.responses;
    type ErrorSchema = { properties: { error: { properties: { code: { enum: string[] } } } } };
    const codes = (status: string) =>
      (confirm?.[status]?.content?.["application/json"].schema as ErrorSchema | undefined)?.properties.error.properties
        .code.enum;
    expect(codes("404")).toEqual(["zoom_hold_not_found"]);
    expect(codes("409")).toEqual(["zoom_hold_lapsed"]);
    expect(codes("401")).toEqual(expect.arrayContaining(["token_missing", "token_expired"]));
    expect(codes("403")).toEqual(expect.arrayContaining(["forbidden_role", "origin_not_allowed"]));
    expect(codes("400")).toEqual(["invalid_body", "invalid_request"]);
  });

  it("says every /v1 route takes the bearer host token, and describes the portal webhooks", () => {
    expect(document.components.securitySchemes.hostToken).toMatchObject({ type: "http", scheme: "bearer" });
    for (const methods of Object.values(document.paths))
      for (const operation of Object.values(methods))
        expect(operation.security).toEqual(expect.arrayContaining([{ hostToken: [] }]));
    expect(Object.keys(document.webhooks).sort()).toEqual([
      "account.linked",
      "account.needs_reauth",
      "account.unlinked",
      "connection.linked",
      "connection.needs_reauth",
      "connection.unlinked",
      "interview.cancelled",
      "interview.failed",
      "interview.scheduled",
      "interview.updated",
    ]);
  });

  it("describes each webhook body as the server builds it", () => {
    const account = {
      id: "a-1",
      host_id: "portal-a",
      org_id: "acme",
      user_id: "u-1",
      provider: "zoom",
      email: null,
      display_name: "Ken Sato",
      status: "needs_reauth" as const,
    };
    const connection = {
      ...account,
      connected_by: "u-admin",
      external_id: "zAc1",
      status: "active" as const,
    };
    for (const change of ["linked", "unlinked", "needs_reauth"] as const) {
      const accountEvent = accountEventBody("e-1", "2026-11-30T00:00:00.000Z", change, account, "invalid_grant");
      expect(webhookProblem(document, `account.${change}`, JSON.stringify(accountEvent))).toBeUndefined();
      const connectionEvent = connectionEventBody("e-2", "2026-11-30T00:00:00.000Z", change, connection, null);
      expect(webhookProblem(document, `connection.${change}`, JSON.stringify(connectionEvent))).toBeUndefined();
    }
    const interview = confirmedInterview();
    const moved = { ...interview, start: "2026-12-04T05:00:00.000Z", end: "2026-12-04T06:00:00.000Z" };
    const failed = {
      ...interview,
      status: "failed" as const,
      zoom: undefined,
      event: undefined,
      failure: { code: "provider_failed", message: "Google failed" },
    };
    const change = { hostId: "portal-a", orgId: "acme", actorUserId: "hanako" };
    for (const [kind, view, before] of [
      ["scheduled", interview, undefined],
      ["updated", moved, interview],
      ["cancelled", { ...interview, status: "cancelled" as const, event: undefined }, undefined],
      ["failed", failed, undefined],
    ] as const) {
      const body = interviewEventBody("e-4", "2026-11-30T00:00:00.000Z", { ...change, kind, interview: view, before });
      expect(webhookProblem(document, `interview.${kind}`, JSON.stringify(body))).toBeUndefined();
    }
    const updated = interviewEventBody("e-5", "now", {
      ...change,
      kind: "updated",
      interview: moved,
      before: interview,
    });
    expect(updated.changed).toEqual(["start", "end"]);
    const withoutOrganiser = { ...updated, interview: { ...updated.interview, organiser: undefined } };
    expect(webhookProblem(document, "interview.updated", JSON.stringify(withoutOrganiser))).toMatch(/'organiser'/);
    const withoutAccount = { ...accountEventBody("e-3", "now", "linked", account, null), account: undefined };
    expect(webhookProblem(document, "account.linked", JSON.stringify(withoutAccount))).toMatch(/'account'/);
  });

  it("is kept by the answers the API really gives", async () => {
    const contract = answerContract(document);
    const request = new Request(`${publicUrl}/v1/me`);
    const me = await t.api(admin, "GET", "/v1/me");
    expect(await contract.check(request, me)).toBeUndefined();
    const forged = Response.json({ host: "portal-a", org: "acme" });
    expect(await contract.check(request, forged)).toMatch(/must have required property 'user'/);
    const unlisted = Response.json({ error: { code: "zoom_host_busy", message: "busy" } }, { status: 409 });
    expect(
      await contract.check(new Request(`${publicUrl}/v1/accounts/a-1/default`, { method: "POST" }), unlisted),
    ).toMatch(/must be equal to one of the allowed values/);
  });
});

describe("the contract check", () => {
  const undocumentedApp = () =>
    new Hono()
      .get("/v1/listed", documented({ summary: "Listed", tag: "me", answers: { 200: z.object({ ok: z.boolean() }) } }))
      .post("/v1/unlisted", jsonBody(z.object({ name: z.string() }), "{name}"), (c) => c.json({ ok: true }));

  it("finds a /v1 route the document does not list", async () => {
    const app = undocumentedApp();
    const { openApiDocument } = await import("../../src/routes/openapi.ts");
    expect(undocumentedRoutes(app.routes, openApiDocument(app, publicUrl))).toEqual(["POST /v1/unlisted"]);
  });
});

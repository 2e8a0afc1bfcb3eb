import { expect } from "@open-wc/testing";
import { fakeHostToken, fakeServer } from "../test-support/fake-host-token.ts";
import { isAbortError, parseErrorEnvelope, TsunaguApiError } from "./api-error.ts";
import { apiUrl, requestJson } from "./request.ts";

const token = fakeHostToken({ sub: "hanako" });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the request to fail");
}

describe("requestJson", () => {
  describe("what it sends", () => {
    it("sends the host token as a bearer token and a request id", async () => {
      const echo = await requestJson<{ authorization: string; requestId: string; method: string }>(
        apiUrl(fakeServer, "/v1/echo"),
        token,
      );
      expect(echo.method).to.equal("GET");
      expect(echo.authorization).to.equal(`Bearer ${token}`);
      expect(echo.requestId).to.match(/^[0-9a-f-]{36}$/);
    });

    it("sends a body as JSON with its content type", async () => {
      const echo = await requestJson<{ method: string; contentType: string; body: unknown }>(
        apiUrl(fakeServer, "/v1/echo"),
        token,
        {
          method: "POST",
          body: { candidate: "田中 一郎", minutes: 45 },
        },
      );
      expect(echo.method).to.equal("POST");
      expect(echo.contentType).to.equal("application/json");
      expect(echo.body).to.deep.equal({ candidate: "田中 一郎", minutes: 45 });
    });

    it("sends extra headers and the request id it is given", async () => {
      const echo = await requestJson<{ requestId: string; idempotencyKey: string }>(
        apiUrl(fakeServer, "/v1/echo"),
        token,
        {
          method: "POST",
          headers: { "Idempotency-Key": "interview-42" },
          requestId: "req-0123456789",
        },
      );
      expect(echo.requestId).to.equal("req-0123456789");
      expect(echo.idempotencyKey).to.equal("interview-42");
    });

    it("resolves with undefined for an empty 204 answer", async () => {
      expect(await requestJson(apiUrl(fakeServer, "/v1/no-content"), token)).to.equal(undefined);
    });
  });

  describe("failures", () => {
    it("turns the error envelope into a TsunaguApiError with status, code, message and request id", async () => {
      const error = await rejection(
        requestJson(apiUrl(fakeServer, "/v1/fail/409/slot_taken"), token, { requestId: "req-conflict-1" }),
      );
      expect(error).to.be.instanceOf(TsunaguApiError);
      const apiError = error as TsunaguApiError;
      expect(apiError.name).to.equal("TsunaguApiError");
      expect(apiError.status).to.equal(409);
      expect(apiError.code).to.equal("slot_taken");
      expect(apiError.message).to.equal("Fake failure slot_taken.");
      expect(apiError.requestId).to.equal("req-conflict-1");
      expect(apiError.details).to.deep.equal({ route: "fail/409/slot_taken" });
    });

    it("gives invalid_response with the status when the error body is not the envelope", async () => {
      const error = (await rejection(requestJson(apiUrl(fakeServer, "/v1/html-error"), token))) as TsunaguApiError;
      expect(error.status).to.equal(502);
      expect(error.code).to.equal("invalid_response");
      expect(error.message).to.contain("502");
    });

    it("gives invalid_response when a success is not JSON", async () => {
      const error = (await rejection(requestJson(apiUrl(fakeServer, "/v1/not-json"), token))) as TsunaguApiError;
      expect(error.status).to.equal(200);
      expect(error.code).to.equal("invalid_response");
    });

    it("gives network_error with status 0 when the server cannot be reached", async () => {
      // Port 9 (discard) is on Chromium's blocked-port list: fetch fails without touching the network.
      const error = (await rejection(requestJson("http://127.0.0.1:9/v1/me", token))) as TsunaguApiError;
      expect(error).to.be.instanceOf(TsunaguApiError);
      expect(error.status).to.equal(0);
      expect(error.code).to.equal("network_error");
      expect(error.cause).to.be.instanceOf(TypeError);
    });

    it("gives origin_not_allowed with status 0 when the server answers but not to this page's origin", async () => {
      // The same fake API under another host name is another origin, and it sends no CORS headers: the browser
      // refuses its answer as it does a Tsunagu server's to an origin no host registers.
      const otherOrigin = new URL(fakeServer);
      otherOrigin.hostname = otherOrigin.hostname === "127.0.0.1" ? "localhost" : "127.0.0.1";
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (message: string) => warnings.push(message);
      try {
        const error = (await rejection(requestJson(apiUrl(otherOrigin.href, "/v1/echo"), token))) as TsunaguApiError;
        expect(error).to.be.instanceOf(TsunaguApiError);
        expect(error.status).to.equal(0);
        expect(error.code).to.equal("origin_not_allowed");
        expect(error.cause).to.be.instanceOf(TypeError);
      } finally {
        console.warn = warn;
      }
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain(`add ${location.origin} to the host's origins`);
    });

    it("gives network_error when the connection fails though the server answers this page", async () => {
      // The request's connection is dropped; the same server then answers this origin (the checks carry no token,
      // so it refuses them 401, as it may): nothing was refused by CORS.
      const error = (await rejection(requestJson(apiUrl(fakeServer, "/v1/drop"), token))) as TsunaguApiError;
      expect(error.status).to.equal(0);
      expect(error.code).to.equal("network_error");
    });

    it("passes the caller's own abort through as an AbortError, not an API error", async () => {
      const controller = new AbortController();
      const pending = requestJson(apiUrl(fakeServer, "/v1/hang"), token, { signal: controller.signal });
      controller.abort(new DOMException("Search superseded.", "AbortError"));
      const error = await rejection(pending);
      expect(isAbortError(error)).to.equal(true);
    });
  });
});

describe("parseErrorEnvelope", () => {
  it("reads code, message and details", () => {
    expect(
      parseErrorEnvelope('{"error":{"code":"forbidden","message":"Admins only.","details":{"role":"guest"}}}'),
    ).to.deep.equal({
      code: "forbidden",
      message: "Admins only.",
      details: { role: "guest" },
    });
  });

  it("refuses bodies that are not the envelope", () => {
    expect(parseErrorEnvelope("<html></html>")).to.equal(undefined);
    expect(parseErrorEnvelope('{"message":"nope"}')).to.equal(undefined);
    expect(parseErrorEnvelope('{"error":"nope"}')).to.equal(undefined);
    expect(parseErrorEnvelope('{"error":{"code":"","message":"empty code"}}')).to.equal(undefined);
    expect(parseErrorEnvelope('{"error":{"code":"x","message":3}}')).to.equal(undefined);
  });
});

describe("TsunaguApiError", () => {
  it("counts only a 401 with a token_ code as a token rejection", () => {
    expect(new TsunaguApiError(401, "token_expired", "Expired.").isTokenRejection).to.equal(true);
    expect(new TsunaguApiError(401, "unauthorized", "No.").isTokenRejection).to.equal(false);
    expect(new TsunaguApiError(403, "token_wrong_audience", "No.").isTokenRejection).to.equal(false);
  });
});

describe("apiUrl", () => {
  it("keeps the server's path prefix and drops a trailing slash", () => {
    expect(apiUrl("https://hr.example.com/tsunagu/", "/v1/me")).to.equal("https://hr.example.com/tsunagu/v1/me");
    expect(apiUrl("http://localhost:8787", "/v1/me")).to.equal("http://localhost:8787/v1/me");
  });

  it("refuses a relative path", () => {
    expect(() => apiUrl("http://localhost:8787", "v1/me")).to.throw(TypeError);
  });
});

import { expect, fixture, html, oneEvent } from "@open-wc/testing";
import { LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { TsunaguTokenExpiredEvent } from "../events/tsunagu-token-expired.ts";
import { fakeHostToken, fakeServer } from "../test-support/fake-host-token.ts";
import { ApiClientController } from "./api-client-controller.ts";
import { isAbortError, type TsunaguApiError } from "./api-error.ts";
import { type HostTokenProvider, HostTokenController } from "./host-token-controller.ts";

let now = Date.UTC(2025, 0, 15, 1, 0, 0);

/** The smallest element that takes a host token and calls the API, as the real elements will. */
@customElement("tsunagu-test-api-host")
class TestApiHost extends LitElement {
  @property() server: string | null = null;
  @property() token: string | null = null;
  @property({ attribute: false }) tokenProvider: HostTokenProvider | null = null;

  readonly hostToken = new HostTokenController(this, { now: () => now, providerTimeoutMs: 500 });
  readonly api = new ApiClientController(this, this.hostToken);

  override render() {
    return html`<p>${this.hostToken.claims?.name ?? "—"}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tsunagu-test-api-host": TestApiHost;
  }
}

interface Echo {
  sub: string;
  authorization: string;
  requestId: string;
}

/** A provider that hands out the given tokens in turn (the last one forever) and counts its calls. */
function providerOf(...tokens: string[]): HostTokenProvider & { calls: number } {
  const provider = Object.assign(
    async () => {
      const token = tokens[Math.min(provider.calls, tokens.length - 1)];
      provider.calls += 1;
      if (token === undefined) throw new Error("no token configured");
      return token;
    },
    { calls: 0 },
  );
  return provider;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the request to fail");
}

const fresh = (sub: string, extra: Record<string, unknown> = {}) =>
  fakeHostToken({ sub, iat: now / 1000, exp: now / 1000 + 900, ...extra });

describe("ApiClientController with HostTokenController", () => {
  beforeEach(() => {
    now = Date.UTC(2025, 0, 15, 1, 0, 0);
  });

  describe("token attribute", () => {
    it("sends the token attribute as the bearer token", async () => {
      const token = fresh("ken");
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} token=${token}></tsunagu-test-api-host>`,
      );
      const echo = await el.api.get<Echo>("/v1/echo");
      expect(echo.authorization).to.equal(`Bearer ${token}`);
      expect(echo.sub).to.equal("ken");
    });

    it("dispatches tsunagu-token-expired and throws when the server refuses it", async () => {
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} token=${fresh("ken", {
          reject: "token_expired",
        })}></tsunagu-test-api-host>`,
      );
      const expired = oneEvent(el, "tsunagu-token-expired") as Promise<TsunaguTokenExpiredEvent>;
      const error = (await rejection(el.api.get("/v1/echo"))) as TsunaguApiError;
      expect(error.status).to.equal(401);
      expect(error.code).to.equal("token_expired");
      expect((await expired).detail).to.deep.equal({ code: "token_expired" });
    });
  });

  describe("tokenProvider", () => {
    it("calls the provider once and reuses its token while it is fresh", async () => {
      const provider = providerOf(fresh("misaki"));
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      await el.api.get("/v1/echo");
      await el.api.get("/v1/echo");
      expect(provider.calls).to.equal(1);
    });

    it("shares one provider call between concurrent requests", async () => {
      const provider = providerOf(fresh("misaki"));
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      await Promise.all([el.api.get("/v1/echo"), el.api.get("/v1/echo"), el.api.get("/v1/echo")]);
      expect(provider.calls).to.equal(1);
    });

    it("calls the provider again when the token nears its expiry", async () => {
      const provider = providerOf(fresh("sho"), fresh("sho"));
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      await el.api.get("/v1/echo");
      now += 13 * 60_000;
      await el.api.get("/v1/echo");
      expect(provider.calls, "13 of 15 minutes: still fresh").to.equal(1);
      now += 60_000 + 1;
      await el.api.get("/v1/echo");
      expect(provider.calls, "less than a minute left: refreshed").to.equal(2);
    });

    it("times the refresh by the token's lifetime, not by a browser clock that is hours off", async () => {
      const serverNow = now / 1000 - 5 * 3600;
      const provider = providerOf(fakeHostToken({ sub: "emily", iat: serverNow, exp: serverNow + 900 }));
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      await el.api.get("/v1/echo");
      await el.api.get("/v1/echo");
      expect(provider.calls).to.equal(1);
    });

    it("calls the provider again after a 401 token_expired and retries once with the new token", async () => {
      const second = fresh("hanako");
      const provider = providerOf(fresh("hanako", { reject: "token_expired" }), second);
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      let expiredEvents = 0;
      el.addEventListener("tsunagu-token-expired", () => (expiredEvents += 1));
      const echo = await el.api.post<Echo>("/v1/echo", { ok: true });
      expect(provider.calls).to.equal(2);
      expect(echo.authorization).to.equal(`Bearer ${second}`);
      expect(expiredEvents).to.equal(0);
    });

    it("retries only once, then dispatches tsunagu-token-expired", async () => {
      const provider = providerOf(fresh("daisuke", { reject: "token_signature" }));
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      const expired = oneEvent(el, "tsunagu-token-expired") as Promise<TsunaguTokenExpiredEvent>;
      const error = (await rejection(el.api.get("/v1/echo"))) as TsunaguApiError;
      expect(error.code).to.equal("token_signature");
      expect(provider.calls).to.equal(2);
      expect((await expired).detail.code).to.equal("token_signature");
    });

    it("does not retry a refusal that a new token cannot fix", async () => {
      const provider = providerOf(fresh("ren"));
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      const error = (await rejection(el.api.get("/v1/fail/403/forbidden"))) as TsunaguApiError;
      expect(error.status).to.equal(403);
      expect(error.code).to.equal("forbidden");
      expect(provider.calls).to.equal(1);
    });

    it("uses a new provider's token as soon as the provider is replaced (a user switch)", async () => {
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer}
          .tokenProvider=${providerOf(fresh("ken"))}></tsunagu-test-api-host>`,
      );
      expect((await el.api.get<Echo>("/v1/echo")).sub).to.equal("ken");
      el.tokenProvider = providerOf(fresh("emily"));
      expect((await el.api.get<Echo>("/v1/echo")).sub).to.equal("emily");
    });

    it("fails with token_unavailable when the provider throws", async () => {
      const provider: HostTokenProvider = () => Promise.reject(new Error("portal session ended"));
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      const error = (await rejection(el.api.get("/v1/echo"))) as TsunaguApiError;
      expect(error.code).to.equal("token_unavailable");
      expect((error.cause as Error).message).to.equal("portal session ended");
    });

    it("fails with token_unavailable when the provider never answers, rather than wait for good", async () => {
      const provider: HostTokenProvider = () => new Promise<string>(() => undefined);
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      const error = (await rejection(el.api.get("/v1/echo"))) as TsunaguApiError;
      expect(error.code).to.equal("token_unavailable");
      expect((error.cause as Error).message).to.equal("The tokenProvider callback did not answer within 500 ms.");
    });

    it("exposes the token's claims and re-renders with them", async () => {
      const provider = providerOf(fresh("hanako", { name: "山田 花子", locale: "ja" }));
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} .tokenProvider=${provider}></tsunagu-test-api-host>`,
      );
      expect(el.hostToken.claims).to.equal(undefined);
      await el.api.get("/v1/echo");
      await el.updateComplete;
      expect(el.hostToken.claims?.locale).to.equal("ja");
      expect(el.shadowRoot?.querySelector("p")?.textContent).to.equal("山田 花子");
    });
  });

  describe("configuration errors", () => {
    it("fails with server_missing without a server attribute", async () => {
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host token=${fresh("ken")}></tsunagu-test-api-host>`,
      );
      expect(((await rejection(el.api.get("/v1/echo"))) as TsunaguApiError).code).to.equal("server_missing");
    });

    it("fails with token_missing without a token or provider", async () => {
      const el = await fixture<TestApiHost>(html`<tsunagu-test-api-host server=${fakeServer}></tsunagu-test-api-host>`);
      expect(((await rejection(el.api.get("/v1/echo"))) as TsunaguApiError).code).to.equal("token_missing");
    });
  });

  describe("lifecycle", () => {
    it("aborts requests in flight when the element leaves the page", async () => {
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} token=${fresh("ken")}></tsunagu-test-api-host>`,
      );
      const pending = el.api.get("/v1/hang");
      // Let the request leave before the element does.
      await new Promise((resolve) => requestAnimationFrame(resolve));
      el.remove();
      expect(isAbortError(await rejection(pending))).to.equal(true);
    });
  });

  describe("accessibility", () => {
    it("renders an accessible host", async () => {
      const el = await fixture<TestApiHost>(
        html`<tsunagu-test-api-host server=${fakeServer} token=${fresh("ken")}></tsunagu-test-api-host>`,
      );
      await expect(el).to.be.accessible();
    });
  });
});

/**
 * The element's client for the Tsunagu server: base URL from the `server`
 * attribute, token from a `HostTokenController`, one retry with a fresh token
 * when the server refuses the old one, and every in-flight request aborted
 * when the element leaves the page. A failure reaches the element once its
 * error messages are loaded (a chunk fetched on the first error), so the
 * element shows it whole in one frame.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { TsunaguTokenExpiredEvent } from "../events/tsunagu-token-expired.ts";
import { clientErrorCodes, isAbortError, TsunaguApiError } from "./api-error.ts";
import type { HostTokenController } from "./host-token-controller.ts";
import { loadErrorMessagesOf } from "./localize-controller.ts";
import { apiUrl, requestJson, type TsunaguRequest } from "./request.ts";

/** The property an element declares for the server's base URL, e.g. `https://tsunagu.example.com`. */
export interface ServerSource {
  server?: string | null | undefined;
}

export type ApiClientHost = ReactiveControllerHost & HTMLElement & ServerSource;

export type ApiRequestOptions = Omit<TsunaguRequest, "method" | "body" | "requestId">;

export class ApiClientController implements ReactiveController {
  readonly #host: ApiClientHost;
  readonly #hostToken: HostTokenController;
  readonly #inFlight = new Set<AbortController>();

  constructor(host: ApiClientHost, hostToken: HostTokenController) {
    this.#host = host;
    this.#hostToken = hostToken;
    host.addController(this);
  }

  hostDisconnected(): void {
    for (const controller of this.#inFlight)
      controller.abort(new DOMException("The element left the page.", "AbortError"));
    this.#inFlight.clear();
  }

  get<T>(path: string, options?: ApiRequestOptions): Promise<T> {
    return this.request<T>("GET", path, undefined, options);
  }

  post<T>(path: string, body?: unknown, options?: ApiRequestOptions): Promise<T> {
    return this.request<T>("POST", path, body, options);
  }

  put<T>(path: string, body?: unknown, options?: ApiRequestOptions): Promise<T> {
    return this.request<T>("PUT", path, body, options);
  }

  patch<T>(path: string, body?: unknown, options?: ApiRequestOptions): Promise<T> {
    return this.request<T>("PATCH", path, body, options);
  }

  delete<T>(path: string, options?: ApiRequestOptions): Promise<T> {
    return this.request<T>("DELETE", path, undefined, options);
  }

  /**
   * Sends one request. A 401 with a `token_*` code is retried once with a
   * token fresh from the `tokenProvider`; when that is impossible or fails
   * again, the element dispatches `tsunagu-token-expired` and the error is thrown.
   */
  async request<T>(
    method: TsunaguRequest["method"],
    path: string,
    body?: unknown,
    options: ApiRequestOptions = {},
  ): Promise<T> {
    try {
      return await this.#send<T>(method, path, body, options);
    } catch (error) {
      if (!isAbortError(error)) await loadErrorMessagesOf(this.#host);
      throw error;
    }
  }

  async #send<T>(
    method: TsunaguRequest["method"],
    path: string,
    body: unknown,
    options: ApiRequestOptions,
  ): Promise<T> {
    const server = this.#host.server;
    if (!server)
      throw new TsunaguApiError(
        0,
        clientErrorCodes.serverMissing,
        "No Tsunagu server: set the element's `server` attribute.",
      );
    const url = apiUrl(server, path);
    const abort = new AbortController();
    this.#inFlight.add(abort);
    const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
    // One id for the attempt and its retry: the server's logs show them as one operation.
    const request: TsunaguRequest = { ...options, method, body, signal, requestId: crypto.randomUUID() };
    try {
      try {
        return await requestJson<T>(url, await this.#hostToken.getToken(), request);
      } catch (error) {
        if (!(error instanceof TsunaguApiError) || !error.isTokenRejection) throw error;
        if (!this.#hostToken.canRefresh) throw this.#tokenExpired(error);
        this.#hostToken.invalidate();
        const fresh = await this.#hostToken.getToken({ forceRefresh: true });
        try {
          return await requestJson<T>(url, fresh, request);
        } catch (retryError) {
          if (retryError instanceof TsunaguApiError && retryError.isTokenRejection)
            throw this.#tokenExpired(retryError);
          throw retryError;
        }
      }
    } finally {
      this.#inFlight.delete(abort);
    }
  }

  #tokenExpired(error: TsunaguApiError): TsunaguApiError {
    this.#host.dispatchEvent(new TsunaguTokenExpiredEvent({ code: error.code }));
    return error;
  }
}

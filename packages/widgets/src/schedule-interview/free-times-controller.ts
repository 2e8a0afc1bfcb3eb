/**
 * Asks `POST /v1/availability` for the element's question: once the inputs
 * have been still for the debounce, again at once on `refresh()`, and aborts
 * an answer a newer question made stale (or one the element left behind), so
 * a stale week never shows. Failures are reported to the element, which
 * shows them in place with a retry.
 */
import type { AvailabilityAnswer, AvailabilityQuestion } from "@tsunagu/contract";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { isAbortError } from "../shared/api-error.ts";
import type { ApiClientController } from "../shared/api-client-controller.ts";
import { availabilityPath, readAvailability } from "./interviews-api.ts";

export type FreeTimesPhase = "idle" | "loading" | "ready" | "failed";

export interface FreeTimesOptions {
  api: ApiClientController;
  /** The question the inputs make now, or undefined while they make none. */
  question: () => AvailabilityQuestion | undefined;
  /** Milliseconds the inputs must stay still. */
  debounce: () => number;
  failed: (error: unknown) => void;
}

export class FreeTimesController implements ReactiveController {
  phase: FreeTimesPhase = "idle";
  answer: AvailabilityAnswer | undefined;
  error: unknown;
  readonly #host: ReactiveControllerHost;
  readonly #options: FreeTimesOptions;
  #timer: number | undefined;
  #inFlight: AbortController | undefined;

  constructor(host: ReactiveControllerHost, options: FreeTimesOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    window.clearTimeout(this.#timer);
    // The API client aborts what is on its way; nothing answers here any more.
    this.#inFlight = undefined;
  }

  /** The answer, once it is the current question's. */
  get current(): AvailabilityAnswer | undefined {
    return this.phase === "ready" ? this.answer : undefined;
  }

  /** The inputs changed: say at once that an answer is coming, ask once they settle. */
  schedule(): void {
    window.clearTimeout(this.#timer);
    this.#inFlight?.abort(new DOMException("The inputs changed.", "AbortError"));
    this.#inFlight = undefined;
    if (!this.#options.question()) {
      this.#settle("idle", undefined);
      return;
    }
    this.#settle("loading", this.answer);
    this.#timer = window.setTimeout(() => void this.refresh(), Math.max(0, this.#options.debounce() || 0));
  }

  /** Asks now, without waiting for the debounce. */
  async refresh(): Promise<void> {
    window.clearTimeout(this.#timer);
    this.#inFlight?.abort(new DOMException("A newer question replaced this one.", "AbortError"));
    const question = this.#options.question();
    this.#inFlight = undefined;
    if (!question) {
      this.#settle("idle", undefined);
      return;
    }
    const request = new AbortController();
    this.#inFlight = request;
    this.#settle("loading", this.answer);
    try {
      const body = await this.#options.api.post<unknown>(availabilityPath, question, { signal: request.signal });
      if (this.#inFlight !== request) return;
      this.error = undefined;
      this.#settle("ready", readAvailability(body));
    } catch (error) {
      if (isAbortError(error) || this.#inFlight !== request) return;
      this.error = error;
      this.#settle("failed", this.answer);
      this.#options.failed(error);
    } finally {
      if (this.#inFlight === request) this.#inFlight = undefined;
    }
  }

  #settle(phase: FreeTimesPhase, answer: AvailabilityAnswer | undefined): void {
    this.phase = phase;
    this.answer = answer;
    this.#host.requestUpdate();
  }
}

/**
 * Asks the server the question an element's inputs make: once the inputs
 * have been still for the debounce, again at once on `refresh()`, and aborts
 * an answer a newer question made stale (or one the element left behind), so
 * a stale answer never shows. One state machine for every element that
 * follows its inputs (the free times, the Zoom hosts): idle while the inputs
 * make no question, loading (the last answer kept meanwhile), ready, or
 * failed (reported to the element, which shows it in place with a retry).
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { isAbortError } from "./api-error.ts";

export type QueryPhase = "idle" | "loading" | "ready" | "failed";

export interface QueryOptions<Question, Answer> {
  /** The question the inputs make now, or undefined while they make none. */
  question: () => Question | undefined;
  /** Asks the server, reading its answer; `signal` aborts it. */
  ask: (question: Question, signal: AbortSignal) => Promise<Answer>;
  /** Milliseconds the inputs must stay still. */
  debounce: () => number;
  /** Whether a failure keeps the last answer (the free times keep it to flag the chosen time; the hosts do not). */
  keepOnFailure: boolean;
  failed: (error: unknown) => void;
  /** Called once the phase is idle, ready or failed (after `failed`). */
  settled?: () => void;
}

export class QueryController<Question, Answer> implements ReactiveController {
  phase: QueryPhase = "idle";
  answer: Answer | undefined;
  error: unknown;
  readonly #host: ReactiveControllerHost;
  readonly #options: QueryOptions<Question, Answer>;
  #timer: number | undefined;
  #inFlight: AbortController | undefined;

  constructor(host: ReactiveControllerHost, options: QueryOptions<Question, Answer>) {
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
  get current(): Answer | undefined {
    return this.phase === "ready" ? this.answer : undefined;
  }

  /** The inputs changed: say at once that an answer is coming, ask once they settle. */
  schedule(): void {
    if (!this.#restart("The inputs changed.")) return;
    this.#timer = window.setTimeout(() => void this.refresh(), Math.max(0, this.#options.debounce() || 0));
  }

  /** Asks now, without waiting for the debounce. */
  async refresh(): Promise<void> {
    const question = this.#restart("A newer question replaced this one.");
    if (!question) return;
    const request = new AbortController();
    this.#inFlight = request;
    try {
      const answer = await this.#options.ask(question, request.signal);
      if (this.#inFlight !== request) return;
      this.error = undefined;
      this.#settle("ready", answer);
    } catch (error) {
      if (isAbortError(error) || this.#inFlight !== request) return;
      this.error = error;
      this.#settle("failed", this.#options.keepOnFailure ? this.answer : undefined);
      this.#options.failed(error);
    } finally {
      if (this.#inFlight === request) this.#inFlight = undefined;
    }
    this.#options.settled?.();
  }

  /** Drops the wait and what is on its way; the question the inputs make now, loading, or idle without one. */
  #restart(reason: string): Question | undefined {
    window.clearTimeout(this.#timer);
    this.#inFlight?.abort(new DOMException(reason, "AbortError"));
    this.#inFlight = undefined;
    const question = this.#options.question();
    if (question) this.#settle("loading", this.answer);
    else {
      this.error = undefined;
      this.#settle("idle", undefined);
      this.#options.settled?.();
    }
    return question;
  }

  #settle(phase: QueryPhase, answer: Answer | undefined): void {
    this.phase = phase;
    this.answer = answer;
    this.#host.requestUpdate();
  }
}

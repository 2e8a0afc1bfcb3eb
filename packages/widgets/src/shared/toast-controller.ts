/**
 * Short messages about what just happened. Successes are announced politely
 * (role=status) and leave by themselves after a while; failures are
 * announced at once (role=alert) and stay until dismissed, so nobody misses
 * one while looking elsewhere.
 *
 * A toast that leaves with the focus on its × (dismissed, gone by itself,
 * replaced) gives the focus back to where it came from, else to the
 * element's heading or first button: never to the page's body, where a
 * keyboard user would have to start again from the top.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { refocus } from "./refocus.ts";

/** `success` and `info` are polite and leave by themselves; `error` is an alert that stays. */
export type ToastTone = "success" | "info" | "error";

export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
  /** A second line, e.g. what the provider kept. */
  note?: string | undefined;
}

export class ToastController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #successMs: number;
  readonly #timers = new Map<number, number>();
  #nextId = 1;
  /** Where the focus was before it came into the stack (Tab to a ×). */
  #focusOrigin: HTMLElement | null = null;
  toasts: Toast[] = [];

  constructor(host: ReactiveControllerHost & HTMLElement, options: { successMs?: number } = {}) {
    this.#host = host;
    this.#successMs = options.successMs ?? 8000;
    host.addController(this);
  }

  hostDisconnected(): void {
    for (const timer of this.#timers.values()) window.clearTimeout(timer);
    this.#timers.clear();
    this.toasts = [];
  }

  /** The stack's `focusin`: remembers where the focus came from, unless from another toast. */
  focusEntered(event: FocusEvent): void {
    const from = event.relatedTarget as HTMLElement | null;
    if (!(event.currentTarget as Node).contains(from)) this.#focusOrigin = from;
  }

  /** The toast that had the focus left: the focus goes back where it came from, or to the heading or a button. */
  focusLeft(): void {
    refocus(this.#host, this.#focusOrigin, '[part~="heading"]', "button");
  }

  show(tone: ToastTone, message: string, note?: string): void {
    const toast: Toast = { id: this.#nextId++, tone, message, note };
    // One failure at a time is enough to read; a new one replaces the old.
    this.toasts = [...this.toasts.filter((existing) => tone !== "error" || existing.tone !== "error"), toast];
    if (tone !== "error")
      this.#timers.set(
        toast.id,
        window.setTimeout(() => this.dismiss(toast.id), this.#successMs),
      );
    this.#host.requestUpdate();
  }

  dismiss(id: number): void {
    const timer = this.#timers.get(id);
    if (timer !== undefined) window.clearTimeout(timer);
    this.#timers.delete(id);
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
    this.#host.requestUpdate();
  }

  /** Removes every toast: they were about someone else (another person took over the element). */
  clear(): void {
    for (const timer of this.#timers.values()) window.clearTimeout(timer);
    this.#timers.clear();
    this.toasts = [];
    this.#host.requestUpdate();
  }

  /** Removes the failures: a new attempt starts with a clean slate. */
  clearErrors(): void {
    this.toasts = this.toasts.filter((toast) => toast.tone !== "error");
    this.#host.requestUpdate();
  }
}

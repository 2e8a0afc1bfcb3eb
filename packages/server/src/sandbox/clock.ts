import type { Clock } from "../clock.ts";

/** The sandbox's time: real time plus an offset the control API can move. */
export class SandboxClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

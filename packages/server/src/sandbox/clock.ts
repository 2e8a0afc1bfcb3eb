import type { Clock } from "../clock.ts";

/** The sandbox's time: real time plus an offset the control API can move. */
export class SandboxClock implements Clock {
  private offset = 0;
  /** How far the control API has moved the clock, in ms (the state file keeps it). */
  get offsetMs(): number {
    return this.offset;
  }
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  advance(ms: number): void {
    this.offset += ms;
  }
  reset(): void {
    this.offset = 0;
  }
}

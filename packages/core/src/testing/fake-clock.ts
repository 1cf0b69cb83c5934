import type { Clock } from '../clock.js';

/** A clock that moves only when told to: pass `clock.now` as `createOtp`'s `clock`. */
export class FakeClock {
  #now: number;

  /** Starts at `start` (epoch ms). @default 2026-01-01T00:00:00Z */
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  /** The clock function to inject. */
  readonly now: Clock = () => this.#now;

  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.#now += ms;
  }

  /** Moves time forward by `seconds` seconds. */
  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }

  /** Sets the time (epoch ms). */
  set(ms: number): void {
    this.#now = ms;
  }
}

import type { Clock } from '@otpkit/core';

/** How many times the envelope sleeps at most before answering (a timer may fire a little early). */
const MAX_SLEEPS = 3;

/**
 * The timing envelope: answers no earlier than `envelopeMs` after `startedAt`, as `clock` measures
 * it, whatever the work before took (as long as it took less).
 */
export class Envelope {
  readonly #clock: Clock;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #envelopeMs: number;

  constructor(clock: Clock, sleep: (ms: number) => Promise<void>, envelopeMs: number) {
    this.#clock = clock;
    this.#sleep = sleep;
    this.#envelopeMs = envelopeMs;
  }

  /** Resolves to `answer` once `envelopeMs` have passed since `startedAt`. */
  async answer<T>(startedAt: number, answer: T): Promise<T> {
    const deadline = startedAt + this.#envelopeMs;
    for (let sleeps = 0; sleeps < MAX_SLEEPS && this.#clock() < deadline; sleeps += 1) await this.#sleep(deadline - this.#clock());
    return answer;
  }
}

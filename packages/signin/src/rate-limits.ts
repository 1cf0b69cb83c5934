import { StorageError, type Clock, type SignInRateLimited, type SignInRefusal } from '@otpkit/core';
import type { RateLimiterLike } from 'rate-limiter-flexible';
import type { SignInLimits } from './limits.js';

/** How long a limiter's refusal lasts (ms), or `null` when it let the call through. */
async function consume(limiter: RateLimiterLike, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (refusal) {
    // A refusal is a RateLimiterRes (of whichever copy of rate-limiter-flexible made the limiter); a store failure is an Error.
    if (!(refusal instanceof Error) && typeof (refusal as { msBeforeNext?: unknown })?.msBeforeNext === 'number') return (refusal as { msBeforeNext: number }).msBeforeNext;
    throw new StorageError('a sign-in rate limiter failed', { cause: refusal });
  }
}

/** Gives back one point `consume` took. */
async function giveBack(limiter: RateLimiterLike, key: string): Promise<void> {
  try {
    await limiter.reward(key, 1);
  } catch (error) {
    throw new StorageError('a sign-in rate limiter failed', { cause: error });
  }
}

/** The sign-in's limits, applied by address digest and client address ({@link SignInLimits}). */
export class SignInRateLimits {
  readonly #limits: SignInLimits;
  readonly #clock: Clock;

  /** Applies `limits`, dating refusals by `clock`. */
  constructor(limits: SignInLimits, clock: Clock) {
    [this.#limits, this.#clock] = [limits, clock];
  }

  /** Counts one code or link asked for `address` from `ip`; the refusal when a send limit is spent. */
  async send(address: string, ip: string | null): Promise<SignInRateLimited | null> {
    const { addressSends, addressDailySends, ipSends, ipDailySends } = this.#limits;
    const waits = await Promise.all([
      consume(addressSends, address),
      consume(addressDailySends, address),
      ...(ip === null ? [] : [consume(ipSends, ip), consume(ipDailySends, ip)]),
    ]);
    return this.#refusal('rate_limited', waits);
  }

  /**
   * Counts one code attempt for `address` and from `ip` before the code is checked, so that racing
   * attempts cannot all pass a limit that is counted afterwards; the refusal when too many wrong
   * codes were given for the address (`throttled`) or from the client (`rate_limited`). A right
   * code gives its point back ({@link SignInRateLimits.succeeded}).
   */
  async attempt(address: string, ip: string | null): Promise<SignInRefusal | null> {
    const throttled = this.#refusal('throttled', [await consume(this.#limits.addressFailures, address)]);
    if (throttled !== null) return throttled;
    return ip === null ? null : this.#refusal('rate_limited', [await consume(this.#limits.ipFailures, ip)]);
  }

  /** Gives back the points {@link SignInRateLimits.attempt} counted for a right code. */
  async succeeded(address: string, ip: string | null): Promise<void> {
    await Promise.all([giveBack(this.#limits.addressFailures, address), ...(ip === null ? [] : [giveBack(this.#limits.ipFailures, ip)])]);
  }

  #refusal<R extends 'rate_limited' | 'throttled'>(reason: R, waits: readonly (number | null)[]): { readonly ok: false; readonly reason: R; readonly retryAt: number } | null {
    const longest = Math.max(...waits.map((wait) => wait ?? -1));
    return longest < 0 ? null : { ok: false, reason, retryAt: this.#clock() + longest };
  }
}

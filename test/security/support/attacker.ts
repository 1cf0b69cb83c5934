import { decodeBase32, hotpToken, totpTimeStep, type VerifyOutcome } from '@otpkit/core';
import type { FakeClock } from '@otpkit/core/testing';
import type { TOTPDevice } from '@otpkit/totp';

/** One guessing path of a password-only session: a call that checks a token for the user. */
export type GuessPath = (token: string) => Promise<VerifyOutcome>;

/** What an attacker who guessed as fast as otpkit let them achieved. */
export interface GuessingReport {
  /** Guesses that were checked against a guessable device (and charged), on every path together. */
  readonly guesses: number;
  /** Units of the user's guessing budget the guesses cost. */
  readonly units: number;
}

/** The current code of a TOTP device (the one the real user would type). */
export function totpCode(device: TOTPDevice, clock: FakeClock): string {
  return hotpToken(decodeBase32(device.revealKey()), totpTimeStep(clock.now(), device.step, device.t0), device);
}

/** A 6-digit code that is not `code`, so it never verifies. */
export function wrongCode(code: string): string {
  return String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
}

/**
 * Guesses on every path, round after round, until `durationMs` have passed on the fake clock:
 * each round tries every path once and then waits only as long as the earliest refusal says
 * (at least 1 s), like an attacker who never wastes a chance. `wrong` makes the guess of a round;
 * `spent` is what earlier guessing already cost (the report's `units` include it).
 */
export async function guessFor(
  clock: FakeClock,
  durationMs: number,
  paths: readonly GuessPath[],
  wrong: () => string,
  spent = 0,
): Promise<GuessingReport> {
  const end = clock.now() + durationMs;
  let guesses = 0;
  let units = spent;
  while (clock.now() < end) {
    let next = clock.now() + 1000;
    for (const path of paths) {
      const outcome = await path(wrong());
      if (outcome.ok) throw new Error('a wrong guess verified');
      // A guess counts when it was charged: a miss tested against unguessable devices only is not.
      if (outcome.reason === 'invalid_token' && outcome.failureCount > units) {
        guesses += 1;
        units = outcome.failureCount;
      }
      if (outcome.reason === 'throttled' || (outcome.reason === 'invalid_token' && outcome.lockedUntil !== null)) {
        next = Math.max(next, outcome.lockedUntil!);
      }
    }
    // Every path shares one budget: the earliest the next guess can be checked is when it lifts.
    clock.set(Math.min(next, end));
  }
  return { guesses, units };
}

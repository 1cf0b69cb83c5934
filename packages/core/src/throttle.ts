/**
 * Throttling arithmetic (django-otp's rule). After `n` consecutive failures, verification is
 * refused until `lastFailure + factor · 2^(n−1)` seconds, optionally capped at `maxDelaySeconds`.
 * Attempts made while refused are not counted; a success resets the count; factor 0 disables it.
 * @module
 */
import { unknownOptionProblem } from './option-keys.js';

/** How hard failures are punished. */
export interface ThrottlePolicy {
  /**
   * Seconds of delay after the first failure; each further consecutive failure doubles it.
   * 0 disables throttling (failures are still counted).
   * @default 1
   */
  readonly factor: number;
  /**
   * The longest delay in seconds, however many failures; `undefined` means no cap. The cap bounds
   * how long a user's own typos (or an outsider's guesses) can lock them out.
   * @default 43200 (12 hours)
   */
  readonly maxDelaySeconds?: number | undefined;
}

/** Whether a verification may be attempted now; when not, it is throttled until `lockedUntil`. */
export type VerifyAllowance =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: 'throttled';
      /** Consecutive failures so far. */
      readonly failureCount: number;
      /** When (epoch ms) the next attempt will be allowed. */
      readonly lockedUntil: number;
    };

/** Whether a token may be generated (sent) now; when not, the device is in its cooldown until `nextAt`. */
export type GenerateAllowance =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: 'cooldown';
      /** When (epoch ms) a new token may be generated. */
      readonly nextAt: number;
    };

/** The allowance that says yes, to a verification or a generation. */
export const ALLOWED: { readonly allowed: true } = Object.freeze({ allowed: true });

/** The default policy of a device's own throttle: 1 s after the first failure, doubling, at most 12 hours. */
export const DEFAULT_THROTTLE: ThrottlePolicy = Object.freeze({ factor: 1, maxDelaySeconds: 43_200 });

/**
 * The default policy of the user's guessing budget (`createOtp({ guessThrottle })`): 2 s after the
 * first failed unit, doubling, at most 12 hours. An attacker gets 16 guesses in the first day and
 * 2 a day after; a user who mistyped is never locked out for more than 12 hours.
 */
export const DEFAULT_GUESS_THROTTLE: ThrottlePolicy = Object.freeze({ factor: 2, maxDelaySeconds: 43_200 });

/** The delay in milliseconds that `failureCount` consecutive failures impose. */
export function throttleDelayMs(failureCount: number, policy: ThrottlePolicy): number {
  if (policy.factor <= 0 || failureCount <= 0) return 0;
  let seconds = policy.factor * 2 ** Math.min(failureCount - 1, 1023);
  if (policy.maxDelaySeconds !== undefined) seconds = Math.min(seconds, policy.maxDelaySeconds);
  return Math.min(seconds * 1000, Number.MAX_SAFE_INTEGER);
}

/**
 * Whether an attempt is allowed at `now`, given the failure count and the time of the last
 * failure (epoch ms, or null when there was none). An attempt that would cost `cost` units (it
 * tests that many units of chance at once) waits the delays of all of them, as that many
 * one-unit attempts in a row would: bundling guesses never buys more of them.
 */
export function throttleAllowance(
  failureCount: number,
  lastFailureAt: number | null,
  now: number,
  policy: ThrottlePolicy,
  cost = 1,
): VerifyAllowance {
  let delay = 0;
  for (let unit = 0; unit < Math.max(1, cost); unit += 1) delay += throttleDelayMs(failureCount + unit, policy);
  if (delay === 0 || lastFailureAt === null) return ALLOWED;
  const lockedUntil = Math.min(lastFailureAt + delay, Number.MAX_SAFE_INTEGER);
  if (now >= lockedUntil) return ALLOWED;
  return { allowed: false, reason: 'throttled', failureCount, lockedUntil };
}

/** The keys of a {@link ThrottlePolicy}. */
const THROTTLE_KEYS: readonly (keyof ThrottlePolicy)[] = ['factor', 'maxDelaySeconds'];

/** Validates and freezes a policy, filling in `defaults` when `input` is absent; `fail` reports a mistake. */
export function resolveThrottlePolicy(
  input: Partial<ThrottlePolicy> | undefined,
  fail: (message: string) => never,
  defaults: ThrottlePolicy = DEFAULT_THROTTLE,
): ThrottlePolicy {
  const unknown = input === undefined ? null : unknownOptionProblem(input, THROTTLE_KEYS);
  if (unknown !== null) fail(`throttle: ${unknown}`);
  const factor = input?.factor ?? defaults.factor;
  const maxDelaySeconds = input !== undefined && 'maxDelaySeconds' in input ? input.maxDelaySeconds : defaults.maxDelaySeconds;
  if (!Number.isFinite(factor) || factor < 0) fail('throttle factor must be a finite number >= 0');
  if (maxDelaySeconds !== undefined && (!Number.isFinite(maxDelaySeconds) || maxDelaySeconds < 0)) {
    fail('throttle maxDelaySeconds must be a finite number >= 0');
  }
  return Object.freeze({ factor, maxDelaySeconds });
}

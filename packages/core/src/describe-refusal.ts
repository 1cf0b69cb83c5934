import type { Refusal } from './outcomes.js';

/**
 * A refusal in the one shape every layer reports: its reason, when to try again and how much of
 * the guessing budget is spent. HTTP, forms and the command line map `reason` to a status, a code
 * or a text and read the rest from here, never from the outcome.
 */
export interface RefusalDescription<R extends Refusal['reason'] = Refusal['reason']> {
  /** Why: the outcome's `reason`, unchanged. */
  readonly reason: R;
  /**
   * Whole seconds until the attempt (or the send) is allowed again, rounded up and at least 1
   * (a `Retry-After` value), or `null` when waiting would not help or is not needed.
   */
  readonly retryAfter: number | null;
  /** When (epoch ms) it is allowed again, or `null` as for `retryAfter`. */
  readonly retryAt: number | null;
  /**
   * Units of the user's guessing budget spent (`invalid_token`, `throttled`), or `null` when the
   * refusal says nothing about the budget (a malformed token, a missing device, a send).
   */
  readonly failureCount: number | null;
}

/** When a refusal lifts (epoch ms), or `null`. */
function liftsAt(refusal: Refusal): number | null {
  switch (refusal.reason) {
    case 'invalid_token':
    case 'throttled':
      return refusal.lockedUntil;
    case 'cooldown':
      return refusal.nextAt;
    case 'daily_limit':
      return refusal.retryAt;
    default:
      return null;
  }
}

/**
 * The one mapping from a refusal (of `verify`, `match`, `confirmDevice`, `generateChallenge` or
 * `countUserSend`) to what is reported: `{ reason, retryAfter, retryAt, failureCount }`, with
 * `retryAfter` counted from `now` (the otp instance's clock).
 */
export function describeRefusal<R extends Refusal>(refusal: R, now: number): RefusalDescription<R['reason']> {
  const retryAt = liftsAt(refusal);
  return {
    reason: refusal.reason,
    retryAfter: retryAt === null ? null : Math.max(1, Math.ceil((retryAt - now) / 1000)),
    retryAt,
    failureCount: 'failureCount' in refusal ? refusal.failureCount : null,
  };
}

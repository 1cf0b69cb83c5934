import type { Device } from './device.js';

/**
 * The result of a verification. Expected failures are values: `invalid_token` (wrong, malformed,
 * expired or replayed), `no_device` (unknown, unconfirmed or another user's: indistinguishable on
 * purpose) and `throttled` (too many failures: when it lifts is in `lockedUntil`).
 */
export type VerifyOutcome<D extends Device = Device> =
  | { readonly ok: true; readonly device: D }
  | {
      readonly ok: false;
      readonly reason: 'invalid_token';
      /** Consecutive failures now counted against the device (or the user, for `matchToken`). */
      readonly failureCount: number;
      /** When the next attempt is allowed (epoch ms), or `null` when it already is. */
      readonly lockedUntil: number | null;
    }
  | { readonly ok: false; readonly reason: 'no_device' }
  | { readonly ok: false; readonly reason: 'throttled'; readonly failureCount: number; readonly lockedUntil: number };

/** The result of asking an interactive device to send a token. */
export type ChallengeOutcome<D extends Device = Device> =
  | {
      readonly ok: true;
      readonly device: D;
      /** A message for the user, such as "We sent a code to j…@example.com". */
      readonly message: string;
      /** Until when (epoch ms) the token is valid. */
      readonly validUntil: number;
    }
  | { readonly ok: false; readonly reason: 'no_device' | 'not_interactive' }
  | { readonly ok: false; readonly reason: 'cooldown'; readonly nextAt: number };

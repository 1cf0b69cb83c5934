import type { Device } from './device.js';

/**
 * The result of a verification. Expected failures are values: `invalid_token` (wrong, malformed,
 * expired or replayed), `no_device` (unknown, unconfirmed, an expired enrolment or another user's:
 * indistinguishable on purpose) and `throttled` (the user's guessing budget or the device's own
 * throttle is spent: when it lifts is in `lockedUntil`).
 */
export type VerifyOutcome<D extends Device = Device> =
  | { readonly ok: true; readonly device: D }
  | {
      readonly ok: false;
      readonly reason: 'invalid_token';
      /**
       * Units of the user's guessing budget now spent (each miss costs at least 1; 0 for an
       * unguessable device, whose misses are not charged).
       */
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
  | { readonly ok: false; readonly reason: 'cooldown'; readonly nextAt: number }
  | {
      readonly ok: false;
      /** The user or the destination had its daily sends (`createOtp({ sendLimits })`). */
      readonly reason: 'daily_limit';
      /** When (epoch ms) a send will be allowed again. */
      readonly retryAt: number;
    };

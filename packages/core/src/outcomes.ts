import type { Device } from './device.js';

/**
 * Why a verification (`verify`, `match`, `verifyLogin`, `confirmDevice`) was refused:
 * - `invalid_token`: a well-formed token that did not verify (wrong, expired or replayed);
 * - `malformed_token`: input that can never be a token (not a string, empty, too long, or not
 *   letters and digits); nothing was checked or charged;
 * - `no_device`: an unknown device, a malformed persistent id, an unconfirmed device (outside its
 *   own enrolment), another user's device, an expired enrolment, or a device whose purpose does
 *   not serve the call (a `login` device at `verify`, a `second-factor` one at `verifyLogin`):
 *   indistinguishable on purpose;
 * - `throttled`: the user's guessing budget or the device's own throttle is spent;
 * - `suspected_clone`: the token was genuine but the device's state says another copy of it was
 *   used (a WebAuthn authenticator whose signature counter went back); reported as `cloneSuspected`.
 */
export type VerifyRefusalReason = VerifyRefusal['reason'];

/** Why a challenge (`generateChallenge`: sending a token) was refused. */
export type ChallengeRefusalReason = ChallengeRefusal['reason'];

/** Any reason otpkit refuses with: the one word every layer (HTTP, forms, CLI) maps. */
export type RefusalReason = Refusal['reason'];

/** A refused verification, with what each reason reports. */
export type VerifyRefusal =
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
  | { readonly ok: false; readonly reason: 'malformed_token' }
  | { readonly ok: false; readonly reason: 'no_device' }
  | { readonly ok: false; readonly reason: 'suspected_clone' }
  | {
      readonly ok: false;
      readonly reason: 'throttled';
      /** Units of the user's guessing budget (or failures of the device) spent so far. */
      readonly failureCount: number;
      /** When (epoch ms) the next attempt is allowed. */
      readonly lockedUntil: number;
    };

/** A daily send limit refused a send (`createOtp({ sendLimits })`): a challenge, or `countUserSend`. */
export interface DailyLimitRefusal {
  readonly ok: false;
  /** The user or the destination had its daily sends. */
  readonly reason: 'daily_limit';
  /** When (epoch ms) a send will be allowed again. */
  readonly retryAt: number;
}

/**
 * A refused challenge: `no_device` (as for a verification), `not_interactive` (the device does
 * not send tokens), `cooldown` (a token was sent recently) or `daily_limit`.
 */
export type ChallengeRefusal =
  | { readonly ok: false; readonly reason: 'no_device' | 'not_interactive' }
  | {
      readonly ok: false;
      readonly reason: 'cooldown';
      /** When (epoch ms) a new token may be generated. */
      readonly nextAt: number;
    }
  | DailyLimitRefusal;

/** Any refusal: of a verification or of a challenge. */
export type Refusal = VerifyRefusal | ChallengeRefusal;

/** The result of a verification: the device, or a {@link VerifyRefusal}. */
export type VerifyOutcome<D extends Device = Device> = { readonly ok: true; readonly device: D } | VerifyRefusal;

/** The result of asking an interactive device to send a token: what was sent, or a {@link ChallengeRefusal}. */
export type ChallengeOutcome<D extends Device = Device> =
  | {
      readonly ok: true;
      readonly device: D;
      /** A message for the user, such as "We sent a code to j…@example.com". */
      readonly message: string;
      /** Until when (epoch ms) the token is valid. */
      readonly validUntil: number;
      /**
       * What the client needs to answer the challenge, when the device asks it for more than a
       * code it received (WebAuthn's request options, as JSON); absent for codes sent by a message.
       */
      readonly request?: Readonly<Record<string, unknown>>;
    }
  | ChallengeRefusal;

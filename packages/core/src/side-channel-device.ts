import { randomInt } from 'node:crypto';
import type { ColumnSpec } from './columns.js';
import { constantTimeEqual } from './constant-time.js';
import { ConfigurationError } from './errors.js';
import { Device } from './device.js';
import type { ChallengeContext, ChallengeIssue } from './hooks.js';
import { ALLOWED, type GenerateAllowance } from './throttle.js';
import type { CheckResult, VerifyContext } from './verify-context.js';
import type { EnrolContext, EnrolmentResult } from './hooks.js';

/** How side-channel tokens (email, SMS) are made and how long they live. */
export interface SideChannelOptions {
  /**
   * Digits in a token.
   * @default 6
   */
  readonly tokenDigits: number;
  /**
   * Seconds a token stays valid.
   * @default 300
   */
  readonly validitySeconds: number;
  /**
   * Seconds between two sends to the same device; a successful verification lifts it.
   * @default 60
   */
  readonly cooldownSeconds: number;
}

/** The defaults of {@link SideChannelOptions}, as django-otp's email device has them. */
export const DEFAULT_SIDE_CHANNEL_OPTIONS: SideChannelOptions = Object.freeze({
  tokenDigits: 6,
  validitySeconds: 300,
  cooldownSeconds: 60,
});

/** Validates and fills in side-channel options. @throws ConfigurationError */
export function resolveSideChannelOptions(input: Partial<SideChannelOptions> = {}): SideChannelOptions {
  const options = { ...DEFAULT_SIDE_CHANNEL_OPTIONS, ...input };
  if (!Number.isInteger(options.tokenDigits) || options.tokenDigits < 6 || options.tokenDigits > 10) {
    throw new ConfigurationError('tokenDigits must be an integer from 6 to 10');
  }
  for (const field of ['validitySeconds', 'cooldownSeconds'] as const) {
    if (!Number.isFinite(options[field]) || options[field] < 0) {
      throw new ConfigurationError(`${field} must be a number of seconds >= 0`);
    }
  }
  return Object.freeze(options);
}

/** The columns of interactive (side-channel) devices: email and SMS. */
export const SIDE_CHANNEL_COLUMNS = Object.freeze({
  token: 'secret?',
  validUntil: 'time?',
  lastGeneratedAt: 'time?',
} as const satisfies ColumnSpec);

/** What the enrolment of a side-channel device shows: where its first code went, and until when it is valid. */
export interface SideChannelEnrolment {
  /** The delivery's message, such as "sent by email". */
  readonly message: string;
  /** Until when (epoch ms) the first code is valid. */
  readonly validUntil: number;
}

/**
 * A device that delivers a single-use token over a side channel (email, SMS): token generation
 * with a cooldown, expiry and single use. Subclasses implement {@link SideChannelDevice.deliver};
 * their plugin options must include {@link SideChannelOptions}.
 */
export abstract class SideChannelDevice<O extends SideChannelOptions = SideChannelOptions> extends Device<O> {
  static override readonly columns: ColumnSpec = SIDE_CHANNEL_COLUMNS;

  /** When the pending token expires (epoch ms), or `null` when none is pending. The token itself stays sealed. */
  declare validUntil: number | null;
  /** When the last token was generated (epoch ms): the cooldown runs from here. */
  declare lastGeneratedAt: number | null;

  /** One guess wins with chance 1 / 10^tokenDigits. */
  override guessChance(): number {
    return 10 ** -this.options.tokenDigits;
  }

  /**
   * Where tokens go (an address, a phone number), or `null` when there is none: the daily send
   * limit per destination counts by a keyed digest of it, never the value. Read before the
   * challenge's transaction, so it may look the user up.
   */
  abstract override destination(): Promise<string | null>;

  override generateIsAllowed(now: number = this.runtime.clock()): GenerateAllowance {
    if (this.lastGeneratedAt === null) return ALLOWED;
    const nextAt = this.lastGeneratedAt + this.options.cooldownSeconds * 1000;
    return now < nextAt ? { allowed: false, reason: 'cooldown', nextAt } : ALLOWED;
  }

  /** A new random token valid from `now`; the cooldown starts. Delivered by {@link SideChannelDevice.deliver} after commit. */
  override issueChallenge(now: number): ChallengeIssue<SideChannelDevice> {
    const digits = this.options.tokenDigits;
    const token = String(randomInt(0, 10 ** digits)).padStart(digits, '0');
    const validUntil = now + this.options.validitySeconds * 1000;
    return {
      secrets: { token },
      patch: { validUntil, lastGeneratedAt: now },
      validUntil,
      deliver: (context) => this.deliver(token, context),
    };
  }

  /** Accepts the pending token once, before it expires. Opens the sealed token only when one is pending. */
  check(token: string, context: VerifyContext): CheckResult<SideChannelDevice> {
    if (this.validUntil === null || context.now >= this.validUntil) return null;
    const pending = context.secret('token');
    if (pending === null || !constantTimeEqual(token, pending)) return null;
    return { secrets: { token: null }, patch: { validUntil: null, lastGeneratedAt: null } };
  }

  /** Enrolment sends the first code; the device is confirmed when it comes back. */
  override async enroll(context: EnrolContext): Promise<EnrolmentResult<SideChannelEnrolment>> {
    const sent = await context.challenge();
    return sent.ok ? { display: { message: sent.message, validUntil: sent.validUntil } } : { refused: sent };
  }

  /**
   * Sends `token` to the user. Called by core after the token is committed and the row lock is
   * released; throw a `DeliveryError` on failure. Returns the message to show the user.
   */
  abstract deliver(token: string, context: ChallengeContext): Promise<string>;
}

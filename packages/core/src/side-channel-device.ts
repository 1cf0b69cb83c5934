import { randomInt } from 'node:crypto';
import { SIDE_CHANNEL_COLUMNS, DEVICE_COLUMNS, type ColumnSpec } from './columns.js';
import { constantTimeEqual } from './constant-time.js';
import { ConfigurationError } from './errors.js';
import { Device, type ChallengeContext } from './device.js';
import { replaceSecret, restoreSlot, slotOf, type SecretSlot } from './internal/sealed-secrets.js';
import { ALLOWED, type GenerateAllowance } from './throttle.js';
import type { VerifyContext } from './verify-context.js';

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

/** A side-channel device's pending token (as stored: sealed), its expiry and the start of its cooldown. */
export interface PendingToken {
  /** The pending token as stored; opaque. */
  readonly token: unknown;
  readonly validUntil: number | null;
  readonly lastGeneratedAt: number | null;
}

/**
 * A device that delivers a single-use token over a side channel (email, SMS): token generation
 * with a cooldown, expiry and single use. Subclasses implement {@link SideChannelDevice.deliver};
 * their plugin options must include {@link SideChannelOptions}.
 */
export abstract class SideChannelDevice extends Device {
  static override columns: ColumnSpec = { ...DEVICE_COLUMNS, ...SIDE_CHANNEL_COLUMNS };

  /** When the pending token expires (epoch ms), or `null` when none is pending. The token itself stays sealed. */
  declare validUntil: number | null;
  /** When the last token was generated (epoch ms): the cooldown runs from here. */
  declare lastGeneratedAt: number | null;

  /** This device's side-channel options (from its plugin). */
  protected get sideChannel(): SideChannelOptions {
    return this.runtime.options as SideChannelOptions;
  }

  override isInteractive(): boolean {
    return true;
  }

  /** One guess wins with chance 1 / 10^tokenDigits. */
  override guessChance(): number {
    return 10 ** -this.sideChannel.tokenDigits;
  }

  /**
   * Where tokens go (an address, a phone number), or `null` when there is none: the daily send
   * limit per destination counts by a keyed digest of it, never the value. Read before the
   * challenge's transaction, so it may look the user up.
   */
  abstract destination(): Promise<string | null>;

  override generateIsAllowed(now: number = this.runtime.clock()): GenerateAllowance {
    if (this.lastGeneratedAt === null) return ALLOWED;
    const nextAt = this.lastGeneratedAt + this.sideChannel.cooldownSeconds * 1000;
    return now < nextAt ? { allowed: false, reason: 'cooldown', nextAt } : ALLOWED;
  }

  /** Makes a new random token valid from `now`, starts the cooldown, and returns the token. */
  issueToken(now: number): string {
    const digits = this.sideChannel.tokenDigits;
    const token = String(randomInt(0, 10 ** digits)).padStart(digits, '0');
    replaceSecret(this, 'token', token);
    this.validUntil = now + this.sideChannel.validitySeconds * 1000;
    this.lastGeneratedAt = now;
    return token;
  }

  /** The pending token's state, to restore with {@link SideChannelDevice.restorePending}. */
  pendingState(): PendingToken {
    return { token: slotOf(this, 'token'), validUntil: this.validUntil, lastGeneratedAt: this.lastGeneratedAt };
  }

  /**
   * Puts back the state from before a token was issued (after its delivery failed): the failed
   * token is forgotten, no cooldown is charged, and an earlier token that was delivered and is
   * still valid keeps working.
   */
  restorePending(previous: PendingToken): void {
    restoreSlot(this, 'token', previous.token as SecretSlot);
    this.validUntil = previous.validUntil;
    this.lastGeneratedAt = previous.lastGeneratedAt;
  }

  /** Accepts the pending token once, before it expires. Opens the sealed token only when one is pending. */
  checkToken(token: string, context: VerifyContext): boolean {
    if (this.validUntil === null || context.now >= this.validUntil) return false;
    const pending = context.secret('token');
    if (pending === null || !constantTimeEqual(token, pending)) return false;
    replaceSecret(this, 'token', null);
    this.validUntil = null;
    this.lastGeneratedAt = null;
    return true;
  }

  /**
   * Sends `token` to the user. Called by core after the token is committed and the row lock is
   * released; throw a `DeliveryError` on failure. Returns the message to show the user.
   */
  abstract deliver(token: string, context: ChallengeContext): Promise<string>;
}

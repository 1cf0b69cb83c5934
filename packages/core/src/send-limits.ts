import { ConfigurationError } from './errors.js';
import { checkOptionKeys } from './option-keys.js';

/**
 * Daily caps on the tokens otpkit sends (mail, SMS), so that a password-only session cannot run
 * up the bill or flood an inbox or phone. A window of 24 hours starts with its first send.
 */
export interface SendLimits {
  /**
   * Sends per user per 24 hours, across all of the user's devices.
   * @default 10
   */
  readonly perUser: number;
  /**
   * Sends per destination (an address, a phone number) per 24 hours, across all users. Counted
   * by a keyed digest of the destination (plain SHA-256 without `secretKeys`), never the value.
   * @default 5
   */
  readonly perDestination: number;
}

/** The defaults of {@link SendLimits}. */
export const DEFAULT_SEND_LIMITS: SendLimits = Object.freeze({ perUser: 10, perDestination: 5 });

/** Validates and fills in the send limits. @throws ConfigurationError */
export function resolveSendLimits(input: Partial<SendLimits> = {}): SendLimits {
  if (input === null || typeof input !== 'object') throw new ConfigurationError('sendLimits must be an object');
  checkOptionKeys('sendLimits', input, Object.keys(DEFAULT_SEND_LIMITS));
  const limits = { ...DEFAULT_SEND_LIMITS, ...input };
  for (const field of ['perUser', 'perDestination'] as const) {
    if (!Number.isInteger(limits[field]) || limits[field] < 1) {
      throw new ConfigurationError(`sendLimits.${field} must be an integer >= 1`);
    }
  }
  return Object.freeze(limits);
}

import { findHotpCounter, OATH_COLUMNS, OathDevice, type CheckResult, type VerifyContext } from '@otpkit/core';
import type { HotpOptions } from './options.js';

/**
 * An HOTP device (RFC 4226): a counter-based hardware or software token. Each token is the HMAC
 * of the next counter value; a match at counter `c` moves the device's counter to `c + 1`.
 */
export class HOTPDevice extends OathDevice<HotpOptions> {
  static override readonly deviceType = 'hotp';
  static override tableName = 'otp_hotp_device';
  static override readonly columns = { ...OATH_COLUMNS, counter: 'bigint' } as const;

  /** The counter value the next token is expected at; every value below it is spent. */
  declare counter: number;

  /** Counters `counter` to `counter + tolerance` (the look-ahead). */
  protected codesPerGuess(): number {
    return this.tolerance + 1;
  }

  /**
   * Accepts a token at any counter from `counter` to `counter + tolerance` (the look-ahead); the
   * change moves the counter past it.
   */
  check(token: string, context: VerifyContext): CheckResult<HOTPDevice> {
    const parameters = { algorithm: this.algorithm, digits: this.digits };
    const matched = findHotpCounter(this.keyForCheck(context), token, this.counter, this.counter + this.tolerance, parameters);
    return matched === null ? null : { patch: { counter: matched + 1 } };
  }

  /** The Key-URI carries the current counter, so a software token starts where the device expects. */
  protected keyUriType() {
    return { type: 'hotp', counter: this.counter } as const;
  }
}

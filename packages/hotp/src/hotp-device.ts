import { DEVICE_COLUMNS, findHotpCounter, OATH_COLUMNS, OathDevice, type ColumnSpec, type VerifyContext } from '@otpkit/core';

/**
 * An HOTP device (RFC 4226): a counter-based hardware or software token. Each token is the HMAC
 * of the next counter value; a match at counter `c` moves the device's counter to `c + 1`.
 */
export class HOTPDevice extends OathDevice {
  static override deviceType = 'hotp';
  static override tableName = 'otp_hotp_device';
  static override columns: ColumnSpec = { ...DEVICE_COLUMNS, ...OATH_COLUMNS, counter: 'integer' };

  /** The counter value the next token is expected at; every value below it is spent. */
  declare counter: number;

  /** Counters `counter` to `counter + tolerance` (the look-ahead). */
  protected codesPerGuess(): number {
    return this.tolerance + 1;
  }

  /**
   * Accepts a token at any counter from `counter` to `counter + tolerance` (the look-ahead) and
   * moves the counter past it. Runs inside core's locked transaction.
   */
  checkToken(token: string, context: VerifyContext): boolean {
    const parameters = { algorithm: this.algorithm, digits: this.digits };
    const matched = findHotpCounter(this.keyForCheck(context), token, this.counter, this.counter + this.tolerance, parameters);
    if (matched === null) return false;
    this.counter = matched + 1;
    return true;
  }

  /** The Key-URI carries the current counter, so a software token starts where the device expects. */
  protected keyUriType() {
    return { type: 'hotp', counter: this.counter } as const;
  }
}

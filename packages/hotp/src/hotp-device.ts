import {
  Device,
  DEVICE_COLUMNS,
  encodeBase32,
  findHotpCounter,
  keyUri,
  ownerUsername,
  type ColumnSpec,
  type OathAlgorithm,
  type OathDigits,
} from '@otpkit/core';
import type { HotpOptions } from './options.js';

/**
 * An HOTP device (RFC 4226): a counter-based hardware or software token. Each token is the HMAC
 * of the next counter value; a match at counter `c` moves the device's counter to `c + 1`.
 */
export class HOTPDevice extends Device {
  static override deviceType = 'hotp';
  static override tableName = 'otp_hotp_device';
  static override columns: ColumnSpec = {
    ...DEVICE_COLUMNS,
    key: 'secret',
    digits: 'integer',
    algorithm: 'string',
    tolerance: 'integer',
    counter: 'integer',
  };

  /** The shared key as hex digits; sealed at rest when `secretKeys` are configured. */
  declare key: string;
  /** Digits per token: 6, 7 or 8. */
  declare digits: OathDigits;
  declare algorithm: OathAlgorithm;
  /** How many counter values past {@link HOTPDevice.counter} are tried (the look-ahead). */
  declare tolerance: number;
  /** The counter value the next token is expected at; every value below it is spent. */
  declare counter: number;

  /** The key's bytes. */
  get keyBytes(): Uint8Array {
    return new Uint8Array(Buffer.from(this.key, 'hex'));
  }

  /** The key as unpadded base32, for typing it into an app. */
  get base32Key(): string {
    return encodeBase32(this.keyBytes);
  }

  /**
   * Accepts a token at any counter from `counter` to `counter + tolerance` and moves the counter
   * past it. Runs inside core's locked transaction.
   */
  checkToken(token: string): boolean {
    const parameters = { algorithm: this.algorithm, digits: this.digits };
    const matched = findHotpCounter(this.keyBytes, token, this.counter, this.counter + this.tolerance, parameters);
    if (matched === null) return false;
    this.counter = matched + 1;
    return true;
  }

  /**
   * The otpauth Key-URI of this device, with its current `counter`, to load it into a software
   * token. `account` defaults to the owner's username from `createOtp`'s `users` table.
   * @throws ValidationError when no account name is given and the owner is not in the users table.
   */
  async keyUri(options: { readonly account?: string } = {}): Promise<string> {
    const { issuer, image } = this.runtime.options as HotpOptions;
    return keyUri({
      type: 'hotp',
      key: this.keyBytes,
      account: options.account ?? (await ownerUsername(this.runtime.users, this.userId)),
      issuer: typeof issuer === 'function' ? issuer(this) : issuer,
      algorithm: this.algorithm,
      digits: this.digits,
      counter: this.counter,
      image,
    });
  }
}

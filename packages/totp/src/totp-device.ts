import {
  Device,
  DEVICE_COLUMNS,
  encodeBase32,
  findHotpCounter,
  keyUri,
  totpTimeStep,
  ownerUsername,
  type ColumnSpec,
  type OathAlgorithm,
  type VerifyContext,
} from '@otpkit/core';
import type { TotpOptions } from './options.js';
import { renderQr, type QrFormat } from './qr-code.js';

/** Who a Key-URI names. */
export interface KeyUriOptions {
  /**
   * The account name in the label, e.g. an email address. @default the owner's username, read
   * through `createOtp`'s `users` table
   */
  readonly account?: string;
}

/**
 * A TOTP device (RFC 6238): an authenticator app sharing a key with the server. Tokens are the
 * HOTP values of the time step `T = floor((now − t0) / step)`.
 */
export class TOTPDevice extends Device {
  static override deviceType = 'totp';
  static override tableName = 'otp_totp_device';
  static override columns: ColumnSpec = {
    ...DEVICE_COLUMNS,
    key: 'secret',
    step: 'integer',
    t0: 'integer',
    digits: 'integer',
    algorithm: 'string',
    tolerance: 'integer',
    drift: 'integer',
    lastT: 'integer',
  };

  /** The shared key as hex digits; sealed at rest when `secretKeys` are configured. */
  declare key: string;
  /** The time step in seconds. */
  declare step: number;
  /** The Unix time in seconds from which steps are counted. */
  declare t0: number;
  /** Digits per token: 6 or 8. */
  declare digits: 6 | 8;
  declare algorithm: OathAlgorithm;
  /** Steps accepted before and after the expected one. */
  declare tolerance: number;
  /** How many steps the device's clock is ahead (positive) or behind (negative), as last observed. */
  declare drift: number;
  /** The last time step a token was accepted from; no step up to it is accepted again. −1 before the first. */
  declare lastT: number;

  /** The key's bytes. */
  get keyBytes(): Uint8Array {
    return new Uint8Array(Buffer.from(this.key, 'hex'));
  }

  /** The key as unpadded base32, for typing it into an app (see core's `groupForDisplay`). */
  get base32Key(): string {
    return encodeBase32(this.keyBytes);
  }

  /**
   * Accepts a token from any step in `(T + drift) ± tolerance` that is later than `lastT`, then
   * records that step (and, with `driftSync`, the new drift). Runs inside core's locked transaction.
   */
  checkToken(token: string, context: VerifyContext): boolean {
    const now = totpTimeStep(context.now, this.step, this.t0);
    const expected = now + this.drift;
    const first = Math.max(expected - this.tolerance, this.lastT + 1);
    const matched = findHotpCounter(this.keyBytes, token, first, expected + this.tolerance, this);
    if (matched === null) return false;
    this.lastT = matched;
    if ((this.runtime.options as TotpOptions).driftSync) this.drift = matched - now;
    return true;
  }

  /**
   * The otpauth Key-URI to enrol this device in an authenticator app.
   * @throws ValidationError when no account name is given and the owner is not in the users table.
   */
  async keyUri(options: KeyUriOptions = {}): Promise<string> {
    const { issuer, image } = this.runtime.options as TotpOptions;
    return keyUri({
      type: 'totp',
      key: this.keyBytes,
      account: options.account ?? (await ownerUsername(this.runtime.users, this.userId)),
      issuer: typeof issuer === 'function' ? issuer(this) : issuer,
      algorithm: this.algorithm,
      digits: this.digits,
      period: this.step,
      image,
    });
  }

  /**
   * The Key-URI as a QR code: `'png'` gives a `data:image/png;base64,` URL for an `<img>`, `'svg'`
   * an SVG document, `'terminal'` text for a console.
   */
  async qrCode(format: QrFormat, options: KeyUriOptions = {}): Promise<string> {
    return renderQr(await this.keyUri(options), format);
  }
}

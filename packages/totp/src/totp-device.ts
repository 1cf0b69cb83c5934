import {
  findHotpCounter,
  OATH_COLUMNS,
  OathDevice,
  totpTimeStep,
  type CheckResult,
  type EnrolContext,
  type EnrolmentResult,
  type KeyUriAccount,
  type OathEnrolment,
  type VerifyContext,
} from '@otpkit/core';
import type { TotpOptions } from './options.js';
import { renderQr, type QrFormat } from './qr-code.js';

/** What the enrolment of a TOTP device shows once: the Key-URI, the key, and the Key-URI as QR codes. */
export interface TotpEnrolment extends OathEnrolment {
  /** An SVG document. */
  readonly qrSvg: string;
  /** A `data:image/png;base64,` URL for an `<img>`. */
  readonly qrPng: string;
}

/**
 * A TOTP device (RFC 6238): an authenticator app sharing a key with the server. Tokens are the
 * HOTP values of the time step `T = floor((now − t0) / step)`.
 */
export class TOTPDevice extends OathDevice<TotpOptions> {
  static override readonly deviceType = 'totp';
  static override tableName = 'otp_totp_device';
  static override readonly columns = { ...OATH_COLUMNS, step: 'integer', t0: 'bigint', drift: 'integer', lastT: 'bigint' } as const;

  /** Digits per token: 6 or 8. */
  declare digits: 6 | 8;
  /** The time step in seconds. */
  declare step: number;
  /** The Unix time in seconds from which steps are counted. */
  declare t0: number;
  /** How many steps the device's clock is ahead (positive) or behind (negative), as last observed. */
  declare drift: number;
  /** The last time step a token was accepted from; no step up to it is accepted again. −1 before the first. */
  declare lastT: number;

  /** Steps `(T + drift) ± tolerance`. */
  protected codesPerGuess(): number {
    return 2 * this.tolerance + 1;
  }

  /**
   * Accepts a token from any step in `(T + drift) ± tolerance` that is later than `lastT`; the
   * change records that step (and, with `driftSync`, the new drift).
   */
  check(token: string, context: VerifyContext): CheckResult<TOTPDevice> {
    const now = totpTimeStep(context.now, this.step, this.t0);
    const expected = now + this.drift;
    const first = Math.max(expected - this.tolerance, this.lastT + 1);
    const parameters = { algorithm: this.algorithm, digits: this.digits };
    const matched = findHotpCounter(this.keyForCheck(context), token, first, expected + this.tolerance, parameters);
    if (matched === null) return null;
    return { patch: this.options.driftSync ? { lastT: matched, drift: matched - now } : { lastT: matched } };
  }

  /** Shows the Key-URI, the key, and the Key-URI as QR codes (`qrSvg`, an SVG document; `qrPng`, a data URL). */
  override async enroll(context: EnrolContext): Promise<EnrolmentResult<TotpEnrolment>> {
    const result = await super.enroll(context);
    if (!('display' in result)) return result;
    const { otpauthUri } = result.display;
    const [qrSvg, qrPng] = await Promise.all([renderQr(otpauthUri, 'svg'), renderQr(otpauthUri, 'png')]);
    return { display: { ...result.display, qrSvg, qrPng } };
  }

  /**
   * The Key-URI as a QR code: `'png'` gives a `data:image/png;base64,` URL for an `<img>`, `'svg'`
   * an SVG document, `'terminal'` text for a console.
   * @throws ValidationError for an unknown format, or as {@link TOTPDevice.keyUri} does.
   */
  async qrCode(format: QrFormat, options: KeyUriAccount = {}): Promise<string> {
    return renderQr(await this.keyUri(options), format);
  }

  protected keyUriType() {
    return { type: 'totp', period: this.step } as const;
  }
}

import { ConfigurationError, isHttpUrl, type OathAlgorithm, type OathDigits, type ThrottlePolicy } from '@otpkit/core';
import type { HOTPDevice } from './hotp-device.js';
import { checkHotpParameters } from './hotp-parameters.js';

/** The options of {@link hotp}. `digits`, `algorithm` and `tolerance` are the defaults of new devices. */
export interface HotpOptions {
  /**
   * The service name in Key-URIs (label prefix and `issuer` parameter; colons are removed), or a
   * function of the device. `null` leaves it out.
   * @default null
   */
  readonly issuer: string | ((device: HOTPDevice) => string) | null;
  /** An absolute http(s) URL of a logo, written as the Key-URI's `image` parameter. @default null */
  readonly image: string | null;
  /** How many digits a token has: 6, 7 or 8. @default 6 */
  readonly digits: OathDigits;
  /** The HMAC algorithm: `'sha1'`, `'sha256'` or `'sha512'`. @default 'sha1' */
  readonly algorithm: OathAlgorithm;
  /**
   * The look-ahead: how many counter values past the expected one are tried (0 to 100), so that
   * codes generated on the token but never submitted do not lock the user out.
   * @default 5
   */
  readonly tolerance: number;
  /** The length in bytes of generated keys (16 to 64). @default 20 */
  readonly keyBytes: number;
  /** Throttling of failed verifications (django-otp's `OTP_HOTP_THROTTLE_FACTOR`). @default { factor: 1 } */
  readonly throttle: Partial<ThrottlePolicy>;
}

const DEFAULTS: HotpOptions = Object.freeze({
  issuer: null,
  image: null,
  digits: 6,
  algorithm: 'sha1',
  tolerance: 5,
  keyBytes: 20,
  throttle: Object.freeze({ factor: 1 }),
});

/** Validates and fills in the options, once. @throws ConfigurationError */
export function resolveHotpOptions(input: Partial<HotpOptions>): HotpOptions {
  const fail = (message: string): never => {
    throw new ConfigurationError(`hotp: ${message}`);
  };
  if (input === null || typeof input !== 'object') fail('options must be an object');
  const options = { ...DEFAULTS, ...input };
  checkHotpParameters({ ...options, counter: 0 }, (_field, message) => fail(message));
  if (!(options.issuer === null || ['string', 'function'].includes(typeof options.issuer))) {
    fail('issuer must be a string, a function or null');
  }
  if (options.image !== null && !isHttpUrl(options.image)) fail('image must be an absolute http(s) URL');
  if (!Number.isInteger(options.keyBytes) || options.keyBytes < 16 || options.keyBytes > 64) fail('keyBytes must be an integer from 16 to 64');
  if (options.throttle === null || typeof options.throttle !== 'object') fail('throttle must be an object');
  return Object.freeze({ ...options, throttle: Object.freeze({ ...options.throttle }) });
}

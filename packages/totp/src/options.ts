import { ConfigurationError, isHttpUrl, type OathAlgorithm, type ThrottlePolicy } from '@otpkit/core';
import { checkTotpParameters, type TotpParameters } from './totp-parameters.js';
import type { TOTPDevice } from './totp-device.js';

/** The options of {@link totp}. `digits` to `tolerance` are the defaults of new devices. */
export interface TotpOptions extends TotpParameters {
  /**
   * The service name authenticator apps show: the Key-URI label's prefix and its `issuer`
   * parameter (colons are removed). A function is called with the device, e.g. to name a tenant.
   * `null` leaves the issuer out.
   * @default null
   */
  readonly issuer: string | ((device: TOTPDevice) => string) | null;
  /** An absolute http(s) URL of a logo, written as the Key-URI's `image` parameter. @default null */
  readonly image: string | null;
  /** How many digits a token has: 6 or 8. @default 6 */
  readonly digits: 6 | 8;
  /** The HMAC algorithm: `'sha1'`, `'sha256'` or `'sha512'`. Most apps only honour SHA-1. @default 'sha1' */
  readonly algorithm: OathAlgorithm;
  /** The time step in seconds (1 to 3600). @default 30 */
  readonly step: number;
  /** The Unix time in seconds from which steps are counted. @default 0 */
  readonly t0: number;
  /** How many steps before and after the current one are accepted (0 to 10). @default 1 */
  readonly tolerance: number;
  /**
   * Whether a token accepted from a neighbouring step moves the device's drift, so the window
   * follows a phone whose clock runs fast or slow.
   * @default true
   */
  readonly driftSync: boolean;
  /** The length in bytes of generated keys (16 to 64). @default 20 */
  readonly keyBytes: number;
  /** Throttling of failed verifications (django-otp's `OTP_TOTP_THROTTLE_FACTOR`). @default { factor: 1 } */
  readonly throttle: Partial<ThrottlePolicy>;
}

const DEFAULTS: TotpOptions = Object.freeze({
  issuer: null,
  image: null,
  digits: 6,
  algorithm: 'sha1',
  step: 30,
  t0: 0,
  tolerance: 1,
  driftSync: true,
  keyBytes: 20,
  throttle: Object.freeze({ factor: 1 }),
});

/** Validates and fills in the options, once. @throws ConfigurationError */
export function resolveTotpOptions(input: Partial<TotpOptions>): TotpOptions {
  const fail = (_field: string, message: string): never => {
    throw new ConfigurationError(`totp: ${message}`);
  };
  if (input === null || typeof input !== 'object') fail('options', 'options must be an object');
  const options = { ...DEFAULTS, ...input };
  checkTotpParameters(options, fail);
  const { issuer, image, driftSync, keyBytes, throttle } = options;
  if (issuer !== null && typeof issuer !== 'string' && typeof issuer !== 'function') fail('issuer', 'issuer must be a string, a function or null');
  if (image !== null && !isHttpUrl(image)) fail('image', 'image must be an absolute http(s) URL');
  if (typeof driftSync !== 'boolean') fail('driftSync', 'driftSync must be a boolean');
  if (!Number.isInteger(keyBytes) || keyBytes < 16 || keyBytes > 64) fail('keyBytes', 'keyBytes must be an integer from 16 to 64');
  if (throttle === null || typeof throttle !== 'object') fail('throttle', 'throttle must be an object');
  return Object.freeze({ ...options, throttle: Object.freeze({ ...throttle }) });
}

import { ConfigurationError, resolveOathPluginOptions, type OathDigits, type OathPluginOptions } from '@otpkit/core';
import type { HOTPDevice } from './hotp-device.js';
import { checkHotpParameters } from './hotp-parameters.js';

/** The options of {@link hotp}. `digits`, `algorithm` and `tolerance` are the defaults of new devices. */
export interface HotpOptions extends OathPluginOptions<HOTPDevice> {
  /** How many digits a token has: 6, 7 or 8. @default 6 */
  readonly digits: OathDigits;
  /**
   * The look-ahead: how many counter values past the expected one are tried (0 to 100), so that
   * codes generated on the token but never submitted do not lock the user out.
   * @default 5
   */
  readonly tolerance: number;
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
  const options = resolveOathPluginOptions('hotp', DEFAULTS, input);
  checkHotpParameters({ ...options, counter: 0 }, (_field, message) => {
    throw new ConfigurationError(`hotp: ${message}`);
  });
  return options;
}

import { ConfigurationError, resolveOathPluginOptions, type OathPluginOptions } from '@otpkit/core';
import { checkTotpParameters, type TotpParameters } from './totp-parameters.js';
import type { TOTPDevice } from './totp-device.js';

/** The options of {@link totp}. `digits` to `tolerance` are the defaults of new devices. */
export interface TotpOptions extends OathPluginOptions<TOTPDevice>, TotpParameters {
  /** How many digits a token has: 6 or 8. @default 6 */
  readonly digits: 6 | 8;
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
  const options = resolveOathPluginOptions('totp', DEFAULTS, input);
  const fail = (_field: string, message: string): never => {
    throw new ConfigurationError(`totp: ${message}`);
  };
  checkTotpParameters(options, fail);
  if (typeof options.driftSync !== 'boolean') fail('driftSync', 'driftSync must be a boolean');
  return options;
}

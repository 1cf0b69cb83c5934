import { defineDevicePlugin, oathKeyFromInput, ValidationError, type DevicePlugin } from '@otpkit/core';
import { totpMigrations } from './migrations.js';
import { resolveTotpOptions, type TotpOptions } from './options.js';
import { TOTPDevice } from './totp-device.js';
import { checkTotpParameters } from './totp-parameters.js';

/**
 * The TOTP device plugin (authenticator apps). A new device gets `keyBytes` random key bytes unless the
 * caller passes `key` (hex) or `secret` (base32) to `createDevice`, which also takes `digits`,
 * `algorithm`, `step`, `t0` and `tolerance` to override the plugin's defaults for that device.
 * @throws ConfigurationError for bad options.
 */
export function totp(options: Partial<TotpOptions> = {}): DevicePlugin<TOTPDevice, TotpOptions> {
  const resolved = resolveTotpOptions(options);
  return defineDevicePlugin({
    type: 'totp',
    model: TOTPDevice,
    options: resolved,
    throttle: resolved.throttle,
    migrations: totpMigrations,
    defaultName: 'Authenticator',
    initialize(input) {
      const parameters = checkTotpParameters(
        {
          digits: input.digits ?? resolved.digits,
          algorithm: input.algorithm ?? resolved.algorithm,
          step: input.step ?? resolved.step,
          t0: input.t0 ?? resolved.t0,
          tolerance: input.tolerance ?? resolved.tolerance,
        },
        (field, message) => {
          throw new ValidationError(message, { field });
        },
      );
      const key = Buffer.from(oathKeyFromInput(input, resolved.keyBytes)).toString('hex');
      return { ...parameters, key, drift: 0, lastT: -1 };
    },
  });
}

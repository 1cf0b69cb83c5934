import { defineDevicePlugin, oathKeyFromInput, ValidationError, type DevicePlugin } from '@otpkit/core';
import { HOTPDevice } from './hotp-device.js';
import { checkHotpParameters } from './hotp-parameters.js';
import { hotpMigrations } from './migrations.js';
import { resolveHotpOptions, type HotpOptions } from './options.js';

/**
 * The HOTP device plugin (counter-based tokens). A new device gets `keyBytes` random key bytes unless the
 * caller passes `key` (hex) or `secret` (base32) to `createDevice`, which also takes `digits`,
 * `algorithm`, `tolerance` and the starting `counter` (default 0).
 * @throws ConfigurationError for bad options.
 */
export function hotp(options: Partial<HotpOptions> = {}): DevicePlugin<HOTPDevice, HotpOptions> {
  const resolved = resolveHotpOptions(options);
  return defineDevicePlugin({
    type: 'hotp',
    model: HOTPDevice,
    options: resolved,
    throttle: resolved.throttle,
    migrations: hotpMigrations,
    defaultName: 'Hardware token',
    initialize(input) {
      const values = {
        digits: input.digits ?? resolved.digits,
        algorithm: input.algorithm ?? resolved.algorithm,
        tolerance: input.tolerance ?? resolved.tolerance,
        counter: input.counter ?? 0,
      };
      const parameters = checkHotpParameters(values, (field, message) => {
        throw new ValidationError(message, { field });
      });
      return { ...parameters, key: Buffer.from(oathKeyFromInput(input, resolved.keyBytes)).toString('hex') };
    },
  });
}


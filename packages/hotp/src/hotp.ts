import { defineDevicePlugin, oathKeyFromInput, ValidationError, withImportedOathKey, type DevicePlugin, type OathKeyInput } from '@otpkit/core';
import { HOTPDevice } from './hotp-device.js';
import { checkHotpParameters, type HotpParameters } from './hotp-parameters.js';
import { resolveHotpOptions, type HotpOptions } from './options.js';

/** What `createDevice('hotp', …)` takes besides a name: a key to import, parameters overriding the plugin's defaults, and the starting `counter`. */
export type HotpDeviceInput = OathKeyInput & Partial<HotpParameters>;

/** A new or imported device's columns: its parameters (the plugin's defaults where `input` has none), its key, and its counter (0 unless given). */
function hotpColumns(input: Readonly<HotpDeviceInput>, resolved: HotpOptions): Record<string, unknown> {
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
}

/**
 * The HOTP device plugin (counter-based tokens). A new device gets `keyBytes` random key bytes unless the
 * caller passes `key` (hex) or `secret` (base32) to `createDevice`, which also takes `digits`,
 * `algorithm`, `tolerance` and the starting `counter` (default 0). An imported device
 * (`otp.importDevices`) takes the same fields, its key required: its `counter` is the next one it
 * accepts, so codes used before the import are refused after it.
 * @throws ConfigurationError for bad options.
 */
export function hotp(options: Partial<HotpOptions> = {}): DevicePlugin<typeof HOTPDevice, HotpDeviceInput> {
  const resolved = resolveHotpOptions(options);
  return defineDevicePlugin<typeof HOTPDevice, HotpDeviceInput>({
    model: HOTPDevice,
    options: resolved,
    throttle: resolved.throttle,
    defaultName: 'Hardware token',
    initialize: (input) => hotpColumns(input, resolved),
    restore: (state) => ({ fields: hotpColumns(withImportedOathKey(state), resolved) }),
  });
}


import { defineDevicePlugin, oathKeyFromInput, ValidationError, withImportedOathKey, type DevicePlugin, type OathKeyInput } from '@otpkit/core';
import { resolveTotpOptions, type TotpOptions } from './options.js';
import { TOTPDevice } from './totp-device.js';
import { restoredTotpState } from './totp-state.js';
import { checkTotpParameters, type TotpParameters } from './totp-parameters.js';

/** What `createDevice('totp', …)` takes besides a name: a key to import, and parameters overriding the plugin's defaults. */
export type TotpDeviceInput = OathKeyInput & Partial<TotpParameters>;

/** A new or imported device's columns: its parameters (the plugin's defaults where `input` has none), its key, and a fresh state. */
function totpColumns(input: Readonly<TotpDeviceInput>, resolved: TotpOptions): Record<string, unknown> {
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
}

/**
 * The TOTP device plugin (authenticator apps). A new device gets `keyBytes` random key bytes unless the
 * caller passes `key` (hex) or `secret` (base32) to `createDevice`, which also takes `digits`,
 * `algorithm`, `step`, `t0` and `tolerance` to override the plugin's defaults for that device.
 * An imported device (`otp.importDevices`) takes the same fields, its key required, and its state:
 * `drift` and `lastT` ({@link TotpImportState}), so a code used before the import is refused after it.
 * @throws ConfigurationError for bad options.
 */
export function totp(options: Partial<TotpOptions> = {}): DevicePlugin<typeof TOTPDevice, TotpDeviceInput> {
  const resolved = resolveTotpOptions(options);
  return defineDevicePlugin<typeof TOTPDevice, TotpDeviceInput>({
    model: TOTPDevice,
    options: resolved,
    throttle: resolved.throttle,
    defaultName: 'Authenticator',
    initialize: (input) => totpColumns(input, resolved),
    restore(state) {
      const fields = totpColumns(withImportedOathKey(state), resolved);
      return { fields: { ...fields, ...restoredTotpState(state) } };
    },
  });
}

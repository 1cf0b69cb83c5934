import { defineDevicePlugin, type DevicePlugin } from '@otpkit/core';
import { staticMigrations } from './migrations.js';
import { backupCodeEntropyBits, resolveStaticTokensOptions, type StaticTokensOptions } from './options.js';
import { StaticDevice } from './static-device.js';
import { StaticToken } from './static-token.js';

/** The name of the device {@link addStaticToken} creates, and the default name of static devices. */
export const BACKUP_CODE_DEVICE_NAME = 'Backup Code';

/**
 * The static backup-code device plugin. A new device has no codes: call
 * `device.regenerateTokens()` to give it its codes (shown once), or `addStaticToken`. Codes an
 * administrator chooses (`addToken(token)`) are as guessable as they are short: the declared
 * entropy assumes generated codes.
 * @throws ConfigurationError for bad options.
 */
export function staticTokens(options: Partial<StaticTokensOptions> = {}): DevicePlugin<StaticDevice, StaticTokensOptions> {
  const resolved = resolveStaticTokensOptions(options);
  return defineDevicePlugin({
    type: 'static',
    model: StaticDevice,
    options: resolved,
    throttle: resolved.throttle,
    // With the defaults ≈ 56 bits: unguessable, so an outsider's guesses never lock the codes.
    tokenEntropyBits: backupCodeEntropyBits(resolved),
    migrations: staticMigrations,
    defaultName: BACKUP_CODE_DEVICE_NAME,
    async beforeRemove(device, trx) {
      await StaticToken.query(trx).delete().where('device_id', device.id);
    },
  });
}

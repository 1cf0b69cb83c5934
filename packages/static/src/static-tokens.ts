import { defineDevicePlugin, type DevicePlugin } from '@otpkit/core';
import { staticMigrations } from './migrations.js';
import { resolveStaticTokensOptions, type StaticTokensOptions } from './options.js';
import { StaticDevice } from './static-device.js';
import { StaticToken } from './static-token.js';

/** The name of the device {@link addStaticToken} creates, and the default name of static devices. */
export const BACKUP_CODE_DEVICE_NAME = 'Backup Code';

/**
 * The static backup-code device plugin. A new device has no codes: call
 * `device.regenerateTokens()` to give it its codes (shown once), or `addStaticToken`.
 * @throws ConfigurationError for bad options.
 */
export function staticTokens(options: Partial<StaticTokensOptions> = {}): DevicePlugin<StaticDevice, StaticTokensOptions> {
  const resolved = resolveStaticTokensOptions(options);
  return defineDevicePlugin({
    type: 'static',
    model: StaticDevice,
    options: resolved,
    throttle: resolved.throttle,
    migrations: staticMigrations,
    defaultName: BACKUP_CODE_DEVICE_NAME,
    async beforeRemove(device, trx) {
      await StaticToken.query(trx).delete().where('device_id', device.id);
    },
  });
}

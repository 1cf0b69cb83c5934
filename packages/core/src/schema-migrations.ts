import type { Knex } from 'knex';
import { otpMigrationSource } from './internal/migration-source.js';
import { coreMigrations } from './migrations/core.js';
import { devicePurposeMigration } from './migrations/device-purpose.js';
import type { AnyDevicePlugin } from './plugin.js';

/**
 * The schema steps of core and of `plugins` as a knex migration source, each recorded as
 * `<owner>/<name>` (`core/0001_create_user_throttle`, `totp/0001_create_device`): what
 * `otp.migrate()` runs. It needs no knex instance, so a knex migrations folder can run one step in
 * the transaction knex gives it (otpkit's `migrations/` folder does).
 */
export function schemaMigrationSource(plugins: readonly AnyDevicePlugin[]): Knex.MigrationSource<unknown> {
  return otpMigrationSource([
    { owner: 'core', migrations: coreMigrations },
    ...plugins.map((plugin) => ({ owner: plugin.type, migrations: [...plugin.migrations, devicePurposeMigration(plugin)] })),
  ]);
}

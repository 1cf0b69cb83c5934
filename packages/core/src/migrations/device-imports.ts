import type { OtpMigration } from '../migration.js';
import { createOtpTable } from './otp-table.js';

/**
 * The devices imported from another system (`otp.importDevices`): one row per source device,
 * keyed by its stable source id (`django-otp:totp:42`), naming the otpkit device it became. The
 * key makes an import idempotent across runs and concurrent runs; the row outlives the device, so
 * a device its user removed is not brought back by the next run.
 */
export const deviceImportsTable: OtpMigration = {
  name: '0008_create_device_import',
  async up(knex) {
    await createOtpTable(knex, 'otp_device_import', (table) => {
      table.string('source', 191).primary();
      table.string('user_id', 255).notNullable().index();
      table.string('device_id', 64).notNullable();
      table.bigInteger('imported_at').notNullable();
    });
  },
  async down(knex) {
    await knex.schema.dropTable('otp_device_import');
  },
};

import type { OtpMigration } from '../migration.js';
import { createOtpTable } from './otp-table.js';

/**
 * The user settings table: one row per user who has a setting, keyed by the user id like
 * `otp_user_throttle`: the device the user prefers to be asked for first (its persistent id), and
 * when a two-factor policy first applied to the user (epoch ms).
 */
export const userSettingsTable: OtpMigration = {
  name: '0006_create_user_setting',
  async up(knex) {
    await createOtpTable(knex, 'otp_user_setting', (table) => {
      table.string('user_id', 255).primary();
      table.string('preferred_device', 64).nullable();
      table.bigInteger('policy_since').nullable();
    });
  },
  async down(knex) {
    await knex.schema.dropTable('otp_user_setting');
  },
};

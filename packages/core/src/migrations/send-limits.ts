import type { OtpMigration } from '../migration.js';
import { createOtpTable } from './otp-table.js';

/**
 * Daily send limits: the user's sends in `otp_user_throttle` (the row every challenge already
 * locks), and table `otp_send_destination` for each destination, keyed by a digest of it.
 */
export const sendLimits: OtpMigration = {
  name: '0003_send_limits',
  async up(knex) {
    await knex.schema.alterTable('otp_user_throttle', (table) => {
      table.integer('sent_count').notNullable().defaultTo(0);
      table.bigInteger('sent_window_start').nullable();
    });
    await createOtpTable(knex, 'otp_send_destination', (table) => {
      table.string('destination', 128).primary();
      table.integer('sent_count').notNullable().defaultTo(0);
      table.bigInteger('sent_window_start').nullable();
    });
  },
  async down(knex) {
    await knex.schema.dropTable('otp_send_destination');
    await knex.schema.alterTable('otp_user_throttle', (table) => {
      table.dropColumn('sent_window_start');
      table.dropColumn('sent_count');
    });
  },
};

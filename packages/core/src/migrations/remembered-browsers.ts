import type { OtpMigration } from '../migration.js';
import { createOtpTable } from './otp-table.js';

/**
 * The remembered browsers table: one row per browser that may skip the second factor, keyed by a
 * digest of the random token its cookie carries (the token itself is never stored), with a second
 * digest binding the row to its owner, device and expiry.
 */
export const rememberedBrowsersTable: OtpMigration = {
  name: '0004_create_remembered_browser',
  async up(knex) {
    await createOtpTable(knex, 'otp_remembered_browser', (table) => {
      table.increments('id');
      table.string('token_hash', 128).notNullable().unique();
      table.string('binding', 128).notNullable();
      table.string('user_id', 255).notNullable().index();
      table.string('device_id', 64).notNullable().index();
      table.bigInteger('created_at').notNullable();
      table.bigInteger('last_seen_at').notNullable();
      table.bigInteger('expires_at').notNullable();
      table.string('user_agent', 255).nullable();
    });
  },
  async down(knex) {
    await knex.schema.dropTable('otp_remembered_browser');
  },
};

import type { OtpMigration } from '../migration.js';
import { createOtpTable } from './otp-table.js';

/**
 * The audit table: one append-only row per event (`createOtp({ audit: true })`), with the event's
 * per-type fields as JSON text. It holds no token, secret or code. Indexed for a user's events
 * newest first and for the sweep by age.
 */
export const auditEventsTable: OtpMigration = {
  name: '0005_create_audit_event',
  async up(knex) {
    await createOtpTable(knex, 'otp_audit_event', (table) => {
      table.bigIncrements('id');
      table.bigInteger('at').notNullable().index();
      table.string('type', 64).notNullable();
      table.string('user_id', 255).nullable();
      table.string('device_id', 64).nullable();
      table.string('via', 32).notNullable();
      table.string('ip', 64).nullable();
      table.string('user_agent', 255).nullable();
      table.text('detail').notNullable();
      table.index(['user_id', 'id']);
    });
  },
  async down(knex) {
    await knex.schema.dropTable('otp_audit_event');
  },
};

import type { OtpMigration } from '../migration.js';

/**
 * Adds the `actor` column to the audit table: the administrator who made the change
 * (`EventMeta.actor`, at most 64 characters), `NULL` for a user's own changes and older rows.
 */
export const auditActorColumn: OtpMigration = {
  name: '0007_audit_event_actor',
  async up(knex) {
    await knex.schema.alterTable('otp_audit_event', (table) => {
      table.string('actor', 64).nullable();
    });
  },
  async down(knex) {
    await knex.schema.alterTable('otp_audit_event', (table) => {
      table.dropColumn('actor');
    });
  },
};

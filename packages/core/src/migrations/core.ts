import type { OtpMigration } from '../migration.js';
import { auditActorColumn } from './audit-actor.js';
import { auditEventsTable } from './audit-events.js';
import { binaryIdentifiers } from './binary-identifiers.js';
import { deviceImportsTable } from './device-imports.js';
import { createOtpTable } from './otp-table.js';
import { rememberedBrowsersTable } from './remembered-browsers.js';
import { sendLimits } from './send-limits.js';
import { userSettingsTable } from './user-settings.js';

/**
 * Core's own tables (the per-user guessing budget, daily send limits, remembered browsers, the audit
 * table and its `actor` column, the user settings), and byte-exact identifiers on MySQL/MariaDB.
 */
export const coreMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_user_throttle',
    async up(knex) {
      await createOtpTable(knex, 'otp_user_throttle', (table) => {
        table.string('user_id', 255).primary();
        table.integer('failure_count').notNullable().defaultTo(0);
        table.bigInteger('last_failure_at').nullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable('otp_user_throttle');
    },
  },
  binaryIdentifiers,
  sendLimits,
  rememberedBrowsersTable,
  auditEventsTable,
  userSettingsTable,
  auditActorColumn,
  deviceImportsTable,
]);

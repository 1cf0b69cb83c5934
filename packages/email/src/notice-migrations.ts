import { createOtpTable, type OtpMigration } from '@otpkit/core';

/** The table of each user's notice count: one row per user who was sent a notice. */
export const NOTICE_TABLE = 'otp_account_notice';

/**
 * The account-notice table, `otp_account_notice`: per user, the notices of the current 24-hour
 * window (`sent_count`, `window_start`) and the last `throttled` notice (`throttled_at`), never an
 * address or what a notice said. `AccountNotices.migrate()` runs it, recorded as
 * `notices/<name>` in the otp instance's migrations table.
 */
export const accountNoticeMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_account_notice',
    async up(knex) {
      await createOtpTable(knex, NOTICE_TABLE, (table) => {
        table.string('user_id', 255).primary();
        table.integer('sent_count').notNullable().defaultTo(0);
        table.bigInteger('window_start').nullable();
        table.bigInteger('throttled_at').nullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable(NOTICE_TABLE);
    },
  },
]);

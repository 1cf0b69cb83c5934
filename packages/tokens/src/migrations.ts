import { createOtpTable, type OtpMigration } from '@otpkit/core';
import { SESSION_TABLE, USED_TABLE } from './refresh-token.js';

/**
 * The token-session tables: `otp_token_session`, one row per signed-in client (never a refresh
 * token, only its keyed digest), and `otp_token_refresh_used`, the digests of the refresh tokens
 * each session has rotated away from, which reuse detection looks in. `TokenSessions.migrate()`
 * runs them, recorded as `tokens/<name>` in the otp instance's migrations table.
 */
export const tokenSessionMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_token_session',
    async up(knex) {
      await createOtpTable(knex, SESSION_TABLE, (table) => {
        table.string('id', 22).primary();
        table.string('user_id', 255).notNullable().index();
        table.string('refresh_digest', 128).notNullable();
        table.integer('generation').notNullable();
        table.bigInteger('created_at').notNullable();
        table.bigInteger('last_used_at').notNullable();
        table.bigInteger('expires_at').notNullable();
        table.bigInteger('revoked_at').nullable();
        table.string('user_agent', 255).nullable();
        table.string('ip', 64).nullable();
        table.string('amr', 255).notNullable();
        table.integer('aal').notNullable();
        table.string('device_id', 64).nullable().index();
      });
      await createOtpTable(knex, USED_TABLE, (table) => {
        table.increments('id');
        table.string('session_id', 22).notNullable().references('id').inTable(SESSION_TABLE).onDelete('CASCADE');
        table.string('digest', 128).notNullable();
        table.index(['session_id']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable(USED_TABLE);
      await knex.schema.dropTable(SESSION_TABLE);
    },
  },
]);

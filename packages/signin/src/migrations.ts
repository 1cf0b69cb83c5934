import { createOtpTable, type OtpMigration } from '@otpkit/core';
import { LINK_TABLE, PENDING_TABLE } from './tables.js';

/**
 * The sign-in tables: `otp_signin_link`, the magic links (a keyed digest of each token, never the
 * token; the user, the email device and the purpose; a keyed digest of the asking browser; the
 * expiry), and `otp_signin_pending`, the registrations waiting for their code (keyed digests of the
 * address and the code, the expiry, the wrong attempts). `SignIn.migrate()` runs them, recorded as
 * `signin/<name>` in the otp instance's migrations table.
 */
export const signInMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_signin_tables',
    async up(knex) {
      await createOtpTable(knex, LINK_TABLE, (table) => {
        table.increments('id');
        table.string('token_digest', 128).notNullable().unique();
        table.string('user_id', 255).notNullable().index();
        table.string('device_id', 64).notNullable();
        table.string('purpose', 16).notNullable();
        table.string('browser_digest', 128).nullable();
        table.bigInteger('created_at').notNullable();
        table.bigInteger('expires_at').notNullable().index();
      });
      await createOtpTable(knex, PENDING_TABLE, (table) => {
        table.increments('id');
        table.string('address_digest', 128).notNullable().unique();
        table.string('code_digest', 128).notNullable();
        table.integer('attempts').notNullable();
        table.bigInteger('created_at').notNullable();
        table.bigInteger('expires_at').notNullable().index();
      });
    },
    async down(knex) {
      await knex.schema.dropTable(PENDING_TABLE);
      await knex.schema.dropTable(LINK_TABLE);
    },
  },
]);

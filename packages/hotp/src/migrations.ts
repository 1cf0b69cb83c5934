import { addDeviceColumns, type OtpMigration } from '@otpkit/core';

/** The schema of `@otpkit/hotp`: one device table. */
export const hotpMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_device',
    async up(knex) {
      await knex.schema.createTable('otp_hotp_device', (table) => {
        addDeviceColumns(table);
        table.string('key', 255).notNullable();
        table.integer('digits').notNullable();
        table.string('algorithm', 16).notNullable();
        table.integer('tolerance').notNullable();
        table.bigInteger('counter').notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable('otp_hotp_device');
    },
  },
]);

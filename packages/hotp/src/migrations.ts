import { addDeviceColumns, createOtpTable, addOathColumns, type OtpMigration } from '@otpkit/core';

/** The schema of `@otpkit/hotp`: one device table. */
export const hotpMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_device',
    async up(knex) {
      await createOtpTable(knex, 'otp_hotp_device', (table) => {
        addDeviceColumns(table);
        addOathColumns(table);
        table.bigInteger('counter').notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable('otp_hotp_device');
    },
  },
]);

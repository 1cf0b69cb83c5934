import { addDeviceColumns, createOtpTable, addOathColumns, type OtpMigration } from '@otpkit/core';

/** The schema of `@otpkit/totp`: one device table. */
export const totpMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_device',
    async up(knex) {
      await createOtpTable(knex, 'otp_totp_device', (table) => {
        addDeviceColumns(table);
        addOathColumns(table);
        table.integer('step').notNullable();
        table.bigInteger('t0').notNullable();
        table.integer('drift').notNullable();
        table.bigInteger('last_t').notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable('otp_totp_device');
    },
  },
]);

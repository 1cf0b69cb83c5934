import { addDeviceColumns, createOtpTable, addSideChannelColumns, type OtpMigration } from '@otpkit/core';

/** The schema of `@otpkit/sms`. */
export const smsMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_device',
    async up(knex) {
      await createOtpTable(knex, 'otp_sms_device', (table) => {
        addDeviceColumns(table);
        addSideChannelColumns(table);
        table.string('number', 16).notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable('otp_sms_device');
    },
  },
]);

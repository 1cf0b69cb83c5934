import { addDeviceColumns, createOtpTable, addSideChannelColumns, type OtpMigration } from '@otpkit/core';

/** The schema of `@otpkit/email`. */
export const emailMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_device',
    async up(knex) {
      await createOtpTable(knex, 'otp_email_device', (table) => {
        addDeviceColumns(table);
        addSideChannelColumns(table);
        table.string('email', 254).nullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable('otp_email_device');
    },
  },
]);

import type { OtpMigration } from '@otpkit/core';
import { addDeviceColumns, createOtpTable } from '@otpkit/core';

/** The schema of `@otpkit/static`: the device table and its codes' digests. */
export const staticMigrations: readonly OtpMigration[] = Object.freeze([
  {
    name: '0001_create_device_and_token',
    async up(knex) {
      await createOtpTable(knex, 'otp_static_device', (table) => {
        addDeviceColumns(table);
      });
      await createOtpTable(knex, 'otp_static_token', (table) => {
        table.increments('id').primary();
        table.integer('device_id').unsigned().notNullable().references('id').inTable('otp_static_device').onDelete('CASCADE');
        table.string('token_hash', 128).notNullable();
        table.index(['device_id', 'token_hash']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable('otp_static_token');
      await knex.schema.dropTable('otp_static_device');
    },
  },
]);

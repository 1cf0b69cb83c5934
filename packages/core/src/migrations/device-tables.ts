import type { Knex } from 'knex';
import { addColumn, addDeviceColumns, columnKind } from '../columns.js';
import type { DeviceClass } from '../device.js';
import { columnName } from '../internal/sealed-secrets.js';
import type { OtpMigration } from '../migration.js';
import { createOtpTable } from './otp-table.js';

/**
 * The schema step that creates a device model's tables from its declaration: the device table
 * (core's columns and the model's own) and one table per declared child (`id`, `device_id`,
 * deleted with the device, and its columns, indexed by device and first digest).
 * @param name the name the step is recorded under; never change it once released.
 */
export function deviceTablesMigration(model: DeviceClass, name = '0001_create_device'): OtpMigration {
  const children = Object.values(model.children);
  return Object.freeze({
    name,
    async up(knex: Knex) {
      await createOtpTable(knex, model.tableName, (table) => {
        addDeviceColumns(table);
        for (const [property, type] of Object.entries(model.columns)) addColumn(table, columnName(model, property), type);
      });
      for (const child of children) {
        await createOtpTable(knex, child.table, (table) => {
          table.increments('id').primary();
          table.integer('device_id').unsigned().notNullable().references('id').inTable(model.tableName).onDelete('CASCADE');
          const columns = Object.entries(child.columns);
          for (const [property, type] of columns) addColumn(table, columnName(model, property), type);
          const digest = columns.find(([, type]) => columnKind(type) === 'digest');
          table.index(digest === undefined ? ['device_id'] : ['device_id', columnName(model, digest[0])]);
        });
      }
    },
    async down(knex: Knex) {
      for (const child of [...children].reverse()) await knex.schema.dropTable(child.table);
      await knex.schema.dropTable(model.tableName);
    },
  });
}

import { addPurposeColumn } from '../columns.js';
import type { OtpMigration } from '../migration.js';
import type { AnyDevicePlugin } from '../plugin.js';

/** The name the purpose step is recorded under, in each plugin's own list (`totp/core_0001_device_purpose`). */
export const DEVICE_PURPOSE_STEP = 'core_0001_device_purpose';

/**
 * Core's step that gives a plugin's device table the `purpose` column, run after the plugin's own
 * steps: a table created since has it already ({@link addDeviceColumns}) and is left alone; an
 * older one gets it, its rows filled with the plugin's `defaultPurpose`. Undone, it drops the column.
 */
export function devicePurposeMigration(plugin: AnyDevicePlugin): OtpMigration {
  const table = plugin.model.tableName;
  return Object.freeze({
    name: DEVICE_PURPOSE_STEP,
    async up(knex) {
      if (await knex.schema.hasColumn(table, 'purpose')) return;
      await knex.schema.alterTable(table, (builder) => addPurposeColumn(builder, plugin.defaultPurpose));
    },
    async down(knex) {
      if (!(await knex.schema.hasColumn(table, 'purpose'))) return;
      await knex.schema.alterTable(table, (builder) => builder.dropColumn('purpose'));
    },
  } satisfies OtpMigration);
}

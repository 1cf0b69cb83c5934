/**
 * Column declarations: each device model lists its columns once, with a kind, and that list drives
 * type coercion on read (pg returns bigints as strings, MySQL and SQLite booleans as 0/1),
 * encryption of secrets, and the hot path's precompiled statements.
 * @module
 */
import type { Knex } from 'knex';

/**
 * - `integer`: a number; `time`: epoch milliseconds (bigint column), nullable;
 * - `boolean`; `string`;
 * - `secret`: a string sealed at rest when secret keys are configured.
 */
export type ColumnKind = 'integer' | 'time' | 'boolean' | 'string' | 'secret';

/** A model's columns: property name (camelCase) to kind. The database column is its snake_case. */
export type ColumnSpec = Readonly<Record<string, ColumnKind>>;

/** The columns every device table has. */
export const DEVICE_COLUMNS = Object.freeze({
  id: 'integer',
  userId: 'string',
  name: 'string',
  confirmed: 'boolean',
  createdAt: 'time',
  lastUsedAt: 'time',
  throttlingFailureCount: 'integer',
  throttlingFailureTimestamp: 'time',
} as const satisfies ColumnSpec);

/** The columns of interactive (side-channel) devices: email and SMS. */
export const SIDE_CHANNEL_COLUMNS = Object.freeze({
  token: 'secret',
  validUntil: 'time',
  lastGeneratedAt: 'time',
} as const satisfies ColumnSpec);

/** Converts a value read from any supported driver to the column's JavaScript type. */
export function coerceColumn(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return kind === 'boolean' ? false : null;
  switch (kind) {
    case 'integer':
    case 'time':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** Adds the common device columns to a device table's migration. */
export function addDeviceColumns(table: Knex.CreateTableBuilder): void {
  table.increments('id').primary();
  table.string('user_id', 255).notNullable().index();
  table.string('name', 64).notNullable();
  table.boolean('confirmed').notNullable().defaultTo(false);
  table.bigInteger('created_at').notNullable();
  table.bigInteger('last_used_at').nullable();
  table.integer('throttling_failure_count').notNullable().defaultTo(0);
  table.bigInteger('throttling_failure_timestamp').nullable();
}

/** Adds the side-channel token columns (email, SMS) to a device table's migration. */
export function addSideChannelColumns(table: Knex.CreateTableBuilder): void {
  table.string('token', 255).nullable();
  table.bigInteger('valid_until').nullable();
  table.bigInteger('last_generated_at').nullable();
}

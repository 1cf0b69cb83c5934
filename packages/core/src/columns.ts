/**
 * Column declarations: a device model lists its own columns once, each with a type, and core
 * derives everything else from that list: the table's DDL, the hot path's precompiled statements,
 * value coercion on read (pg returns bigints as strings, MySQL and SQLite booleans as 0/1), sealing
 * of secret columns and their absence from every serialized form.
 * @module
 */
import type { Knex } from 'knex';
import type { DevicePurpose } from './device-purpose.js';

/**
 * - `integer`: a 32-bit number; `bigint`: a number stored in a 64-bit column; `time`: epoch
 *   milliseconds (64-bit);
 * - `boolean`; `text`: a string of up to 255 characters; `json`: any JSON value (a text column);
 * - `secret`: a string sealed at rest and bound to its row; never a property of the model (core
 *   opens it only for the check or the enrolment display that needs it);
 * - `digest` (child rows only): a keyed digest of a low-entropy code, never the code.
 */
export type ColumnKind = 'integer' | 'bigint' | 'time' | 'boolean' | 'text' | 'json' | 'secret' | 'digest';

/** A column's type: its kind, followed by `?` when the column may be `NULL`. */
export type ColumnType = ColumnKind | `${ColumnKind}?`;

/** A model's own columns: property name (camelCase) to type. The database column is its snake_case. */
export type ColumnSpec = Readonly<Record<string, ColumnType>>;

/** The columns every device table has, which core declares and writes. */
export const DEVICE_COLUMNS = Object.freeze({
  id: 'integer',
  userId: 'text',
  name: 'text',
  confirmed: 'boolean',
  purpose: 'text',
  createdAt: 'time',
  lastUsedAt: 'time?',
  throttlingFailureCount: 'integer',
  throttlingFailureTimestamp: 'time?',
} as const satisfies ColumnSpec);

/** The kind of a column type (`'time?'` → `'time'`). */
export function columnKind(type: ColumnType): ColumnKind {
  return (type.endsWith('?') ? type.slice(0, -1) : type) as ColumnKind;
}

/** Whether a column type allows `NULL`. */
export function isNullable(type: ColumnType): boolean {
  return type.endsWith('?');
}

/** The JavaScript value of a column kind. */
export type ColumnValue<K extends ColumnKind> = K extends 'integer' | 'bigint' | 'time'
  ? number
  : K extends 'boolean'
    ? boolean
    : K extends 'json'
      ? unknown
      : string;

/** The JavaScript value of a column type, `null` included for a nullable one. */
export type ColumnTypeValue<T extends ColumnType> = T extends `${infer K extends ColumnKind}?` ? ColumnValue<K> | null : T extends ColumnKind ? ColumnValue<T> : never;

/** Converts a value read from any supported driver to the column's JavaScript type. */
export function coerceColumn(type: ColumnType, value: unknown): unknown {
  const kind = columnKind(type);
  if (value === null || value === undefined) return kind === 'boolean' ? false : null;
  switch (kind) {
    case 'integer':
    case 'bigint':
    case 'time':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** Converts a JavaScript value to what the drivers store for the column (booleans as 0/1, JSON as text). */
export function formatColumn(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (columnKind(type)) {
    case 'boolean':
      return value ? 1 : 0;
    case 'json':
      return JSON.stringify(value);
    default:
      return value;
  }
}

/** Adds one declared column to a table being created or altered. */
export function addColumn(table: Knex.CreateTableBuilder | Knex.AlterTableBuilder, column: string, type: ColumnType): void {
  const kind = columnKind(type);
  const builder =
    kind === 'integer'
      ? table.integer(column)
      : kind === 'bigint' || kind === 'time'
        ? table.bigInteger(column)
        : kind === 'boolean'
          ? table.boolean(column)
          : kind === 'json'
            ? table.text(column)
            : table.string(column, kind === 'digest' ? 128 : 255);
  if (isNullable(type)) builder.nullable();
  else builder.notNullable();
}

/** Adds the common device columns to a device table's migration. */
export function addDeviceColumns(table: Knex.CreateTableBuilder): void {
  table.increments('id').primary();
  table.string('user_id', 255).notNullable().index();
  table.string('name', 64).notNullable();
  table.boolean('confirmed').notNullable().defaultTo(false);
  addPurposeColumn(table);
  table.bigInteger('created_at').notNullable();
  table.bigInteger('last_used_at').nullable();
  table.integer('throttling_failure_count').notNullable().defaultTo(0);
  table.bigInteger('throttling_failure_timestamp').nullable();
}

/**
 * Adds the `purpose` column ({@link DevicePurpose}) to a device table: `default`, for a table that
 * already has rows, fills them (and stays the column's default); a new table has none, core writes it.
 */
export function addPurposeColumn(table: Knex.CreateTableBuilder | Knex.AlterTableBuilder, fill?: DevicePurpose): void {
  const column = table.string('purpose', 16).notNullable();
  if (fill !== undefined) column.defaultTo(fill);
}

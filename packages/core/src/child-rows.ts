import type { ColumnSpec } from './columns.js';

/**
 * Rows a device keeps in a table of its own, one device to many rows (backup codes): the table
 * and its columns. Core adds `id` and `device_id` (deleted with the device), creates the table,
 * seals `digest` columns bound to the device and its owner, and covers them in `checkSecrets`
 * and `rotateSecrets`.
 */
export interface ChildRowsDeclaration {
  /** The child table, e.g. `otp_static_token`. */
  readonly table: string;
  /** Its columns besides `id` and `device_id`. */
  readonly columns: ColumnSpec;
}

/** A model's child rows, by name (`codes`). */
export type ChildRowsSpec = Readonly<Record<string, ChildRowsDeclaration>>;

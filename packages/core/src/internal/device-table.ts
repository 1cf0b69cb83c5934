import type { Device, DeviceClass } from '../device.js';
import { columnName, storedSecret } from './sealed-secrets.js';
import type { Row, SqlDriver, Statement } from './sql-session.js';

/** Columns the hot path never writes. */
const IMMUTABLE = new Set(['id', 'userId', 'createdAt']);

/**
 * One plugin's table as the hot path sees it: its statements, rendered once at start-up, and the
 * conversion between rows and devices.
 */
export class DeviceTable {
  /** Reads one device by id, without a lock. */
  readonly byId: Statement;
  /** Locks one device by id. */
  readonly lockById: Statement;
  /** Locks a user's confirmed devices, oldest first. */
  readonly lockConfirmedForUser: Statement;
  /** Writes every mutable column of one device. */
  readonly update: Statement;
  /** Whether the plugin's tokens can be guessed online (its misses are charged to the user's budget). */
  readonly guessable: boolean;
  readonly #model: DeviceClass;
  readonly #writable: readonly { property: string; secret: boolean }[];

  constructor(driver: SqlDriver, model: DeviceClass, guessable: boolean) {
    this.#model = model;
    this.guessable = guessable;
    const table = model.tableName;
    // Column names are quoted: a plugin may name a column after a reserved word (`key` on MySQL).
    const quote = driver.dialect === 'mysql' ? (name: string) => `\`${name}\`` : (name: string) => `"${name}"`;
    const columnOf = (property: string) => quote(columnName(model, property));
    const properties = Object.keys(model.columns);
    const select = properties.map(columnOf).join(', ');
    const forUpdate = driver.dialect === 'sqlite' ? '' : ' FOR UPDATE';
    this.byId = driver.statement(`SELECT ${select} FROM ${table} WHERE id = ?`);
    this.lockById = driver.statement(`SELECT ${select} FROM ${table} WHERE id = ?${forUpdate}`);
    this.lockConfirmedForUser = driver.statement(
      `SELECT ${select} FROM ${table} WHERE user_id = ? AND confirmed = ? ORDER BY id${forUpdate}`,
    );
    const writable = properties.filter((property) => !IMMUTABLE.has(property));
    this.#writable = writable.map((property) => ({
      property,
      secret: model.columns[property] === 'secret',
    }));
    this.update = driver.statement(
      `UPDATE ${table} SET ${writable.map((property) => `${columnOf(property)} = ?`).join(', ')} WHERE id = ?`,
    );
  }

  /** A device from a row read by one of this table's statements. */
  toDevice(row: Row): Device {
    return this.#model.fromDatabaseJson(row) as Device;
  }

  /** The values for {@link DeviceTable.update}, secrets sealed for the row only when they changed. */
  updateValues(device: Device): unknown[] {
    const fields = device as unknown as Record<string, unknown>;
    const values = this.#writable.map(({ property, secret }) => {
      if (secret) return storedSecret(device, property);
      const value = fields[property] ?? null;
      return typeof value === 'boolean' ? Number(value) : value;
    });
    values.push(device.id);
    return values;
  }
}

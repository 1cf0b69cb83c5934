import { coerceColumn, columnKind, formatColumn, type ColumnType } from '../columns.js';
import type { ChildRowsDeclaration } from '../child-rows.js';
import { columnsOf, type Device, type DeviceClass } from '../device.js';
import type { SecretBox } from '../secret-box.js';
import type { ChildRow } from '../verify-context.js';
import { constantTimeEqual } from '../constant-time.js';
import { childBinding } from './child-row-store.js';
import { columnName, storedSecret } from './sealed-secrets.js';
import type { Row, SqlDriver, SqlSession, Statement } from './sql-session.js';

/** Columns the hot path never writes: a verification never widens a device's purpose. */
const IMMUTABLE = new Set(['id', 'userId', 'purpose', 'createdAt']);

/** One declared child table as the hot path sees it. */
interface ChildTable {
  readonly declaration: ChildRowsDeclaration;
  /** Reads a device's rows. */
  readonly byDevice: Statement;
  /** Deletes one row of a device (a consumed code). */
  readonly consume: Statement;
  readonly columns: readonly { readonly property: string; readonly column: string; readonly type: ColumnType }[];
}

/**
 * One plugin's table as the hot path sees it: its statements, rendered once at start-up from the
 * model's declared columns and child rows, and the conversion between rows and devices.
 */
export class DeviceTable {
  /** Reads one device by id, without a lock. */
  readonly byId: Statement;
  /** Locks one device by id. */
  readonly lockById: Statement;
  /** Locks a user's confirmed devices that serve as a second factor (not `login` only), oldest first. */
  readonly lockConfirmedForUser: Statement;
  /** Writes every mutable column of one device. */
  readonly update: Statement;
  /** Whether the plugin's tokens can be guessed online (its misses are charged to the user's budget). */
  readonly guessable: boolean;
  readonly model: DeviceClass;
  readonly #writable: readonly { property: string; type: ColumnType }[];
  readonly #children: ReadonlyMap<string, ChildTable>;

  constructor(driver: SqlDriver, model: DeviceClass, guessable: boolean) {
    this.model = model;
    this.guessable = guessable;
    const table = model.tableName;
    // Column names are quoted: a plugin may name a column after a reserved word (`key` on MySQL).
    const quote = driver.dialect === 'mysql' ? (name: string) => `\`${name}\`` : (name: string) => `"${name}"`;
    const columnOf = (property: string) => quote(columnName(model, property));
    const columns = columnsOf(model);
    const properties = Object.keys(columns);
    const select = properties.map(columnOf).join(', ');
    const forUpdate = driver.dialect === 'sqlite' ? '' : ' FOR UPDATE';
    this.byId = driver.statement(`SELECT ${select} FROM ${table} WHERE id = ?`);
    this.lockById = driver.statement(`SELECT ${select} FROM ${table} WHERE id = ?${forUpdate}`);
    this.lockConfirmedForUser = driver.statement(
      `SELECT ${select} FROM ${table} WHERE user_id = ? AND confirmed = ? AND purpose <> 'login' ORDER BY id${forUpdate}`,
    );
    const writable = properties.filter((property) => !IMMUTABLE.has(property));
    this.#writable = writable.map((property) => ({ property, type: columns[property]! }));
    this.update = driver.statement(
      `UPDATE ${table} SET ${writable.map((property) => `${columnOf(property)} = ?`).join(', ')} WHERE id = ?`,
    );
    this.#children = new Map(
      Object.entries(model.children).map(([name, declaration]) => {
        const childColumns = Object.entries(declaration.columns).map(([property, type]) => ({ property, column: columnName(model, property), type }));
        const list = ['id', ...childColumns.map(({ column }) => column)].map(quote).join(', ');
        return [
          name,
          {
            declaration,
            columns: childColumns,
            byDevice: driver.statement(`SELECT ${list} FROM ${declaration.table} WHERE device_id = ? ORDER BY id`),
            consume: driver.statement(`DELETE FROM ${declaration.table} WHERE id = ? AND device_id = ?`),
          },
        ];
      }),
    );
  }

  /** Whether the model declares child rows (read before its check). */
  get hasChildren(): boolean {
    return this.#children.size > 0;
  }

  /** A device from a row read by one of this table's statements. */
  toDevice(row: Row): Device {
    return this.model.fromDatabaseJson(row) as Device;
  }

  /** The values for {@link DeviceTable.update}, secrets sealed for the row only when they changed. */
  updateValues(device: Device): unknown[] {
    const fields = device as unknown as Record<string, unknown>;
    const values = this.#writable.map(({ property, type }) =>
      columnKind(type) === 'secret' ? storedSecret(device, property) : formatColumn(type, fields[property] ?? null),
    );
    values.push(device.id);
    return values;
  }

  /** Every child row of `device`, by child name, read in `session` (under the device's row lock). */
  async readChildren(session: SqlSession, device: Device): Promise<ReadonlyMap<string, readonly ChildRow[]>> {
    const read = new Map<string, readonly ChildRow[]>();
    for (const [name, child] of this.#children) {
      const rows = await session.rows(child.byDevice, [device.id]);
      read.set(
        name,
        rows.map((row) => {
          const values: Record<string, unknown> = { id: Number(row.id) };
          for (const { property, column, type } of child.columns) values[property] = coerceColumn(type, row[column]);
          return values as ChildRow;
        }),
      );
    }
    return read;
  }

  /**
   * The first of `rows` (children `name` of `device`) whose columns equal `values`: a `digest`
   * column matches when the stored digest equals the digest of the value under any configured key.
   */
  findChild(
    secretBox: SecretBox,
    device: Device,
    name: string,
    rows: readonly ChildRow[],
    values: Readonly<Record<string, string | number>>,
  ): ChildRow | null {
    const child = this.#children.get(name);
    if (child === undefined) return null;
    const wanted = Object.entries(values).map(([property, value]) => {
      const type = child.declaration.columns[property];
      const candidates =
        type !== undefined && columnKind(type) === 'digest'
          ? secretBox.digestCandidates(String(value), childBinding(device, child.declaration, property))
          : [String(value)];
      return { property, candidates };
    });
    let found: ChildRow | null = null;
    for (const row of rows) {
      // Every row and candidate is compared, in constant time, so timing tells nothing of which matched.
      let equal = true;
      for (const { property, candidates } of wanted) {
        const stored = String(row[property] ?? '');
        if (!candidates.reduce((any, candidate) => constantTimeEqual(stored, candidate) || any, false)) equal = false;
      }
      if (equal && found === null) found = row;
    }
    return found;
  }

  /** Deletes the consumed child rows of `device`; returns whether each one existed. */
  async consume(session: SqlSession, device: Device, consumed: Readonly<Record<string, number>>): Promise<boolean> {
    for (const [name, id] of Object.entries(consumed)) {
      const child = this.#children.get(name);
      if (child === undefined || (await session.run(child.consume, [id, device.id])) !== 1) return false;
    }
    return true;
  }
}

import { coerceColumn, columnKind, formatColumn, type ColumnType } from '../columns.js';
import type { ChildRowsDeclaration } from '../child-rows.js';
import { columnsOf, type Device, type DeviceClass } from '../device.js';
import type { SecretBox } from '../secret-box.js';
import type { ChildRow } from '../verify-context.js';
import { constantTimeEqual } from '../constant-time.js';
import { childBinding } from './child-row-store.js';
import { columnName, storedSecret } from './sealed-secrets.js';
import type { Call, Row, SqlDriver, SqlSession, Statement } from './sql-session.js';

/** Columns the hot path never writes: a verification never widens a device's purpose. */
const IMMUTABLE = new Set(['id', 'userId', 'purpose', 'createdAt']);

/** The writable columns of each loaded device as read or last written, so an `UPDATE` names only what changed. */
const written = new WeakMap<Device, unknown[]>();

/** One declared child table as the hot path sees it. */
interface ChildTable {
  readonly declaration: ChildRowsDeclaration;
  /** Reads a device's rows. */
  readonly byDevice: Statement;
  /** Reads the rows of a user's confirmed second-factor devices (those {@link DeviceTable.lockConfirmedForUser} locks). */
  readonly byUser: Statement;
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
  /** Whether the plugin's tokens can be guessed online (its misses are charged to the user's budget). */
  readonly guessable: boolean;
  readonly model: DeviceClass;
  readonly #writable: readonly { property: string; column: string; type: ColumnType }[];
  readonly #children: ReadonlyMap<string, ChildTable>;
  /** `UPDATE` statements by the set of columns they write (the few sets checks and challenges change). */
  readonly #updates = new Map<string, Statement>();
  readonly #driver: SqlDriver;
  readonly #quote: (name: string) => string;

  constructor(driver: SqlDriver, model: DeviceClass, guessable: boolean) {
    this.model = model;
    this.guessable = guessable;
    this.#driver = driver;
    const table = model.tableName;
    // Column names are quoted: a plugin may name a column after a reserved word (`key` on MySQL).
    const quote = driver.dialect === 'mysql' ? (name: string) => `\`${name}\`` : (name: string) => `"${name}"`;
    this.#quote = quote;
    const columnOf = (property: string) => quote(columnName(model, property));
    const columns = columnsOf(model);
    const properties = Object.keys(columns);
    const select = properties.map(columnOf).join(', ');
    const forUpdate = driver.dialect === 'sqlite' ? '' : ' FOR UPDATE';
    this.byId = driver.statement(`SELECT ${select} FROM ${table} WHERE id = ?`);
    this.lockById = driver.statement(`SELECT ${select} FROM ${table} WHERE id = ?${forUpdate}`);
    const confirmedForUser = `user_id = ? AND confirmed = ? AND purpose <> 'login'`;
    this.lockConfirmedForUser = driver.statement(`SELECT ${select} FROM ${table} WHERE ${confirmedForUser} ORDER BY id${forUpdate}`);
    const writable = properties.filter((property) => !IMMUTABLE.has(property));
    this.#writable = writable.map((property) => ({ property, column: columnOf(property), type: columns[property]! }));
    this.#children = new Map(
      Object.entries(model.children).map(([name, declaration]) => {
        const childColumns = Object.entries(declaration.columns).map(([property, type]) => ({ property, column: columnName(model, property), type }));
        const list = ['id', 'device_id', ...childColumns.map(({ column }) => column)].map(quote).join(', ');
        return [
          name,
          {
            declaration,
            columns: childColumns,
            byDevice: driver.statement(`SELECT ${list} FROM ${declaration.table} WHERE device_id = ? ORDER BY id`),
            byUser: driver.statement(
              `SELECT ${list} FROM ${declaration.table} WHERE device_id IN (SELECT id FROM ${table} WHERE ${confirmedForUser}) ORDER BY id`,
            ),
            consume: driver.statement(`DELETE FROM ${declaration.table} WHERE id = ? AND device_id = ?`),
          },
        ];
      }),
    );
  }

  /** A device from a row read by one of this table's statements; what it holds is remembered, so only changes are written. */
  toDevice(row: Row): Device {
    const device = this.model.fromDatabaseJson(row) as Device;
    written.set(device, this.#stored(device));
    return device;
  }

  /**
   * Queues the `UPDATE` of the columns of `device` that differ from what was read or last written
   * (secrets sealed for the row only when they were replaced); queues nothing when none differs.
   */
  write(session: SqlSession, device: Device): void {
    const before = written.get(device);
    const now = this.#stored(device);
    const changed = this.#writable.flatMap((column, index) => (before !== undefined && before[index] === now[index] ? [] : [index]));
    written.set(device, now);
    if (changed.length === 0) return;
    session.write(this.#update(changed), [...changed.map((index) => now[index]), device.id]);
  }

  /** The `UPDATE` of the writable columns at `indexes`, rendered once per set. */
  #update(indexes: readonly number[]): Statement {
    const key = indexes.join(',');
    let statement = this.#updates.get(key);
    if (statement === undefined) {
      const set = indexes.map((index) => `${this.#writable[index]!.column} = ?`).join(', ');
      statement = this.#driver.statement(`UPDATE ${this.model.tableName} SET ${set} WHERE id = ?`);
      this.#updates.set(key, statement);
    }
    return statement;
  }

  /** The writable columns of `device` as stored (secrets as sealed), in `#writable` order. */
  #stored(device: Device): unknown[] {
    const fields = device as unknown as Record<string, unknown>;
    return this.#writable.map(({ property, type }) =>
      columnKind(type) === 'secret' ? storedSecret(device, property) : formatColumn(type, fields[property] ?? null),
    );
  }

  /**
   * The reads of child rows, one per declared child table: of the device `id`, or of the confirmed
   * second-factor devices of user `userId`. Sent after the device rows are locked.
   */
  childReads(key: { readonly id: number } | { readonly userId: string }): Call[] {
    return [...this.#children.values()].map((child) =>
      'id' in key ? { statement: child.byDevice, values: [key.id] } : { statement: child.byUser, values: [key.userId, 1] },
    );
  }

  /** The child rows of `device`, by child name, out of what {@link DeviceTable.childReads} read (in its order). */
  childrenOf(device: Device, read: readonly Row[][]): ReadonlyMap<string, readonly ChildRow[]> {
    const children = new Map<string, readonly ChildRow[]>();
    [...this.#children].forEach(([name, child], index) => {
      const rows = (read[index] ?? []).filter((row) => Number(row.device_id) === device.id);
      children.set(
        name,
        rows.map((row) => {
          const values: Record<string, unknown> = { id: Number(row.id) };
          for (const { property, column, type } of child.columns) values[property] = coerceColumn(type, row[column]);
          return values as ChildRow;
        }),
      );
    });
    return children;
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

import type { Call, Row, SqlDriver, SqlSession, Statement } from './sql-session.js';

/**
 * Statements that lock a keyed row and read it, creating it when it is missing, in as few round
 * trips and writes as the dialect allows. On PostgreSQL and SQLite an existing row (the usual case)
 * is locked by one `SELECT … FOR UPDATE` (SQLite's `BEGIN IMMEDIATE` already holds the write lock),
 * which writes nothing; a missing one is inserted (`ON CONFLICT DO NOTHING`, so a racing insert is
 * harmless) and then locked. On MySQL/MariaDB, where a locking read of a missing row takes a gap
 * lock that concurrent inserts deadlock on, an upsert (which takes the exclusive lock on a found row)
 * comes first, then the `SELECT … FOR UPDATE`. Where the lock is sent with the reads after it
 * ({@link LockedRow.lockCalls}), the insert goes first on PostgreSQL too: it costs no round trip there.
 */
export class LockedRow {
  readonly #dialect: SqlDriver['dialect'];
  readonly #upsert: Statement;
  readonly #select: Statement;

  /**
   * @param table the table; `key` its primary key column; `columns` the columns to read.
   * @param defaults the SQL literal each column of a new row gets, in `columns` order.
   */
  constructor(driver: SqlDriver, table: string, key: string, columns: readonly string[], defaults: readonly string[]) {
    const insert = `INSERT INTO ${table} (${key}, ${columns.join(', ')}) VALUES (?, ${defaults.join(', ')})`;
    const forUpdate = driver.dialect === 'sqlite' ? '' : ' FOR UPDATE';
    this.#dialect = driver.dialect;
    this.#upsert = driver.statement(
      driver.dialect === 'mysql' ? `${insert} ON DUPLICATE KEY UPDATE ${key} = ${key}` : `${insert} ON CONFLICT (${key}) DO NOTHING`,
    );
    this.#select = driver.statement(`SELECT ${columns.join(', ')} FROM ${table} WHERE ${key} = ?${forUpdate}`);
  }

  /**
   * The calls that lock the row of `keyValue` and read it (the last call), to send in one round
   * trip with the reads that follow the lock. On PostgreSQL and MySQL/MariaDB the insert of a
   * missing row goes first (it finds an existing row, the usual case, and writes nothing; a racing
   * insert waits for the first), so a row is never created while a later lock is held. On SQLite,
   * where `BEGIN IMMEDIATE` already serializes writers, the select alone: a missing row reads as
   * none and the caller creates it with {@link LockedRow.lock}.
   */
  lockCalls(keyValue: string): Call[] {
    const select = { statement: this.#select, values: [keyValue] };
    return this.#dialect === 'sqlite' ? [select] : [{ statement: this.#upsert, values: [keyValue] }, select];
  }

  /** Creates the row of `keyValue` if needed, locks it until the transaction ends, and reads it. */
  async lock(session: SqlSession, keyValue: string): Promise<Row> {
    if (this.#dialect !== 'mysql') {
      const found = await session.rows(this.#select, [keyValue]);
      if (found.length > 0) return found[0]!;
    }
    await session.run(this.#upsert, [keyValue]);
    return (await session.rows(this.#select, [keyValue]))[0] ?? {};
  }
}

/** A nullable epoch-ms column as a number or `null`. */
export function timeOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

import type { Row, SqlDriver, SqlSession, Statement } from './sql-session.js';

/**
 * Statements that create a keyed row when it is missing, lock it and read it, in as few round
 * trips as the dialect allows: one upsert `RETURNING` on PostgreSQL and SQLite; on MySQL/MariaDB
 * an upsert (which takes the exclusive lock on a found row) and a `SELECT … FOR UPDATE`.
 */
export class LockedRow {
  readonly #statements: readonly Statement[];

  /**
   * @param table the table; `key` its primary key column; `columns` the columns to read.
   * @param defaults the SQL literal each column of a new row gets, in `columns` order.
   */
  constructor(driver: SqlDriver, table: string, key: string, columns: readonly string[], defaults: readonly string[]) {
    const insert = `INSERT INTO ${table} (${key}, ${columns.join(', ')}) VALUES (?, ${defaults.join(', ')})`;
    const list = columns.join(', ');
    this.#statements =
      driver.dialect === 'mysql'
        ? [
            driver.statement(`${insert} ON DUPLICATE KEY UPDATE ${key} = ${key}`),
            driver.statement(`SELECT ${list} FROM ${table} WHERE ${key} = ? FOR UPDATE`),
          ]
        : [driver.statement(`${insert} ON CONFLICT (${key}) DO UPDATE SET ${key} = excluded.${key} RETURNING ${list}`)];
  }

  /** Creates the row of `keyValue` if needed, locks it until the transaction ends, and reads it. */
  async lock(session: SqlSession, keyValue: string): Promise<Row> {
    let rows: Row[] = [];
    for (const statement of this.#statements) rows = await session.rows(statement, [keyValue]);
    return rows[0] ?? {};
  }
}

/** A nullable epoch-ms column as a number or `null`. */
export function timeOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/**
 * The SQLite ceiling: the transaction a verification needs, done with better-sqlite3 alone on the
 * same file: BEGIN IMMEDIATE; SELECT every column by id; UPDATE every mutable column by id; COMMIT,
 * with statements prepared once.
 * @module
 */
import Database from 'better-sqlite3';
import { ceilingColumns, verifiedValues } from './ceiling-row.mjs';

/**
 * A ceiling transaction runner on `table` of the SQLite file `filename`.
 * @param {import('knex').Knex} knex  used once to read the table's columns
 * @param {{ filename: string, table: string }} options
 */
export async function sqliteCeilingTransaction(knex, { filename, table }) {
  const { columns, writable } = await ceilingColumns(knex, table);
  const db = new Database(filename);
  db.pragma('busy_timeout = 5000');
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const select = db.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE id = ?`);
  const update = db.prepare(`UPDATE ${table} SET ${writable.map((column) => `${column} = ?`).join(', ')} WHERE id = ?`);
  return {
    /** Runs one transaction on device `id` at `now`; resolves `true` when the row existed. */
    async run(id, now) {
      begin.run();
      try {
        const row = select.get(id);
        if (row === undefined) return false;
        update.run(...verifiedValues(row, writable, now), id);
        return true;
      } finally {
        commit.run();
      }
    },
    close: async () => db.close(),
  };
}

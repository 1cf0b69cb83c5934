/**
 * The ceiling: the transaction a verification needs, done with node-postgres alone and nothing
 * else: BEGIN; SELECT every column FOR UPDATE by id; UPDATE every mutable column by id; COMMIT,
 * with named prepared statements on a `pg.Pool` of `concurrency` connections. It reads and writes
 * the same rows and columns as otpkit's verification, so the ratio between the two is otpkit's
 * own cost.
 * @module
 */
import pg from 'pg';
import { ceilingColumns, verifiedValues } from './ceiling-row.mjs';

/**
 * A ceiling transaction runner on `table` of the database at `url`.
 * @param {import('knex').Knex} knex  used once to read the table's columns
 * @param {{ url: string, table: string, poolSize: number }} options
 */
export async function ceilingTransaction(knex, { url, table, poolSize }) {
  const { columns, writable } = await ceilingColumns(knex, table);
  const select = { name: 'ceiling_select', text: `SELECT ${columns.join(', ')} FROM ${table} WHERE id = $1 FOR UPDATE` };
  const update = {
    name: 'ceiling_update',
    text: `UPDATE ${table} SET ${writable.map((column, index) => `${column} = $${index + 2}`).join(', ')} WHERE id = $1`,
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  return {
    /** Runs one transaction on device `id` at `now`; resolves `true` when the row existed. */
    async run(id, now) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query({ ...select, values: [id] });
        const row = rows[0];
        if (row === undefined) {
          await client.query('ROLLBACK');
          return false;
        }
        await client.query({ ...update, values: [id, ...verifiedValues(row, writable, now)] });
        await client.query('COMMIT');
        return true;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

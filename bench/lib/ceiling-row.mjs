/**
 * What the ceiling transactions read and write: every column of a device row, and every mutable
 * one written back as a successful verification leaves it.
 * @module
 */

const IMMUTABLE = new Set(['id', 'user_id', 'created_at']);

/** The columns of `table` and those a verification writes, as the hot path has them. */
export async function ceilingColumns(knex, table) {
  const columns = Object.keys(await knex(table).columnInfo());
  return { columns, writable: columns.filter((column) => !IMMUTABLE.has(column)) };
}

/** The values to write back for `row` after a success at `now`, in `writable` order. */
export function verifiedValues(row, writable, now) {
  const next = { ...row, last_used_at: now, throttling_failure_count: 0, throttling_failure_timestamp: null };
  return writable.map((column) => next[column]);
}

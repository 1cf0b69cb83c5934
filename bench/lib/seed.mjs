/**
 * Seeds many devices fast: one device is created through otpkit, then copied in a single
 * `INSERT … SELECT` over a generated series, each copy owned by its own user `bench-<n>`.
 * Copies keep the template's secret as stored, so one token fits them all: the template is made by a
 * keyless otp instance (plaintext key, unkeyed digests), and `otp.rotateSecrets()` on the keyed
 * instance then seals every copy bound to its own row, as an upgraded 0.1 database would be.
 * @module
 */
import { createOtp } from '@otpkit/core';

const KEEP = new Set(['id', 'user_id']);

function series(dialect, from, to) {
  return dialect === 'postgres'
    ? `generate_series(${from}, ${to}) AS g(n)`
    : `(WITH RECURSIVE s(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM s WHERE n < ${to}) SELECT n FROM s) AS g`;
}

/**
 * The keyless twin of `otp` that seeding makes templates with (see the module comment).
 * @param {import('@otpkit/core').Otp} otp
 * @param {import('@otpkit/core').DevicePlugin[]} devices the same plugins as `otp`'s
 */
export function seedingOtp(otp, devices) {
  return createOtp({ knex: otp.knex, devices, clock: otp.clock, logger: { warn: () => {} } });
}

/**
 * Copies device `templateId` of `table` for users `bench-<from>` … `bench-<to>`.
 * @param {import('knex').Knex} knex
 * @param {{ table: string, templateId: number, from: number, to: number }} options
 */
export async function cloneDevice(knex, { table, templateId, from, to }) {
  const dialect = knex.client.config.client === 'pg' ? 'postgres' : 'sqlite';
  const columns = Object.keys(await knex(table).columnInfo()).filter((column) => !KEEP.has(column));
  const list = columns.join(', ');
  const userId = dialect === 'postgres' ? `'bench-' || g.n::text` : `'bench-' || g.n`;
  await knex.raw(
    `INSERT INTO ${table} (user_id, ${list}) SELECT ${userId}, ${columns.map((c) => `t.${c}`).join(', ')} ` +
      `FROM ${table} AS t, ${series(dialect, from, to)} WHERE t.id = ?`,
    [templateId],
  );
  if (dialect === 'sqlite') {
    await knex.raw(`ANALYZE ${table}`);
    return;
  }
  await knex.raw(`VACUUM ANALYZE ${table}`);
  // Flush the seed's writes now, so a checkpoint does not land in the middle of a measurement.
  await knex.raw('CHECKPOINT').catch((error) => {
    if (error.code !== '42501') throw error; // not a superuser: the measurement just gets noisier
  });
}

/**
 * Up to `limit` copies made by {@link cloneDevice}, spread over the whole table, as
 * `{ userId, persistentId }` in random order.
 * @param {import('knex').Knex} knex
 * @param {{ table: string, type: string, limit: number }} options
 */
export async function sampleDevices(knex, { table, type, limit }) {
  const rows = await knex(table).select('id', 'user_id').where('user_id', 'like', 'bench-%').orderByRaw('random()').limit(limit);
  return rows.map((row) => ({ userId: row.user_id, persistentId: `${type}/${row.id}` }));
}

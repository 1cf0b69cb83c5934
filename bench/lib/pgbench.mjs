/**
 * pgbench running the verification transaction on the bench table: BEGIN; SELECT every column FOR
 * UPDATE by a random id; UPDATE every mutable column (written back as read, `last_used_at` set);
 * COMMIT, with pgbench's default simple query protocol. The reference ceiling.
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ceilingColumns } from './ceiling-row.mjs';

const run = promisify(execFile);

/** Whether pgbench is on the PATH. */
export async function hasPgbench() {
  return run('pgbench', ['--version']).then(
    () => true,
    () => false,
  );
}

/**
 * A pgbench runner on `table` of the database at `url`: ids drawn from the table's whole range.
 * @param {import('knex').Knex} knex  reads the table's columns and id range once
 */
export async function pgbenchTransaction(knex, { url, table }) {
  const { columns, writable } = await ceilingColumns(knex, table);
  const { min, max } = await knex(table).min('id as min').max('id as max').first();
  const set = writable.map((column) => (column === 'last_used_at' ? `${column} = ${Date.now()}` : `${column} = ${column}`)).join(', ');
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-pgbench-'));
  const script = join(dir, 'verify.sql');
  writeFileSync(
    script,
    [
      `\\set id random(${min}, ${max})`,
      'BEGIN;',
      `SELECT ${columns.join(', ')} FROM ${table} WHERE id = :id FOR UPDATE;`,
      `UPDATE ${table} SET ${set} WHERE id = :id;`,
      'COMMIT;',
      '',
    ].join('\n'),
  );
  return {
    /** Runs `clients` pgbench clients for `seconds`; resolves transactions per second and the mean latency (ms). */
    async measure(clients, seconds) {
      const { stdout } = await run('pgbench', ['-n', '-f', script, '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), url]);
      const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
      const meanMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
      if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
      return { perSecond: tps, meanMs };
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Throw-away databases for one benchmark run: a PostgreSQL database created on the server named by
 * `OTPKIT_BENCH_POSTGRES_URL` (or the test suite's `OTPKIT_TEST_POSTGRES_URL`, or the local
 * default), and SQLite files in a temporary folder.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import pg from 'pg';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The server URL the PostgreSQL benchmarks run against. */
export function postgresServerUrl(env = process.env) {
  return env.OTPKIT_BENCH_POSTGRES_URL || env.OTPKIT_TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL;
}

async function admin(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty PostgreSQL database and returns its URL and a knex instance on it.
 * @param {string} serverUrl
 * @param {{ poolSize: number }} options
 */
export async function createPostgresDatabase(serverUrl, { poolSize }) {
  const name = `otpkit_bench_${process.pid}_${Date.now().toString(36)}`;
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  const url = target.toString();
  const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: poolSize } });
  return {
    url,
    knex,
    async destroy() {
      await knex.destroy();
      await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Creates an empty SQLite database file and returns its name and a knex instance on it. */
export function createSqliteDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-bench-'));
  const filename = join(dir, 'bench.sqlite');
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
  return {
    filename,
    knex,
    async destroy() {
      await knex.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

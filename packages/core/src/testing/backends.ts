import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';

/** The database systems otpkit's suites run on. */
export type BackendName = 'sqlite' | 'postgres' | 'mysql';

/** A fresh, empty database for one test file, and how to throw it away. */
export interface TestDatabase {
  readonly knex: Knex;
  /** The knex configuration, for tests that open a second pool (other processes). */
  readonly config: Knex.Config;
  destroy(): Promise<void>;
}

/** A database system a suite can run on. */
export interface TestBackend {
  readonly name: BackendName;
  /** Creates an empty database of its own; `poolSize` caps its connection pool. */
  createDatabase(options?: { poolSize?: number }): Promise<TestDatabase>;
}

/** The environment variables that enable the server backends, with the value CI uses. */
export const BACKEND_VARIABLES = Object.freeze({
  postgres: { variable: 'OTPKIT_TEST_POSTGRES_URL', example: 'postgres://postgres@127.0.0.1:5432/test' },
  mysql: { variable: 'OTPKIT_TEST_MYSQL_URL', example: 'mysql://root@127.0.0.1:3306/test' },
});

function uniqueName(): string {
  return `otpkit_t_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** A test database over `config` whose `destroy` also runs `cleanup` once the pool is closed. */
function testDatabase(config: Knex.Config, cleanup: () => Promise<void> | void): TestDatabase {
  const knex = knexFactory(config);
  return {
    knex,
    config,
    async destroy() {
      await knex.destroy();
      await cleanup();
    },
  };
}

/** Runs one statement on a short-lived single connection to the server's administrative database. */
async function administer(client: string, url: string, sql: string): Promise<void> {
  const admin = knexFactory({ client, connection: url, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}

const sqlite: TestBackend = {
  name: 'sqlite',
  async createDatabase() {
    const dir = mkdtempSync(join(tmpdir(), 'otpkit-'));
    const config: Knex.Config = {
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'test.sqlite') },
      useNullAsDefault: true,
    };
    return testDatabase(config, () => rmSync(dir, { recursive: true, force: true }));
  },
};

function serverBackend(name: 'postgres' | 'mysql', url: string): TestBackend {
  const client = name === 'postgres' ? 'pg' : 'mysql2';
  const quote = (identifier: string) => (name === 'postgres' ? `"${identifier}"` : `\`${identifier}\``);
  return {
    name,
    async createDatabase({ poolSize = 10 } = {}) {
      const database = uniqueName();
      await administer(client, url, `CREATE DATABASE ${quote(database)}`);
      const target = new URL(url);
      target.pathname = `/${database}`;
      const config: Knex.Config = { client, connection: target.toString(), pool: { min: 0, max: poolSize } };
      const force = name === 'postgres' ? ' WITH (FORCE)' : '';
      return testDatabase(config, () => administer(client, url, `DROP DATABASE IF EXISTS ${quote(database)}${force}`));
    },
  };
}

/**
 * The backends enabled in this environment: SQLite always; PostgreSQL and MySQL/MariaDB when their
 * variable ({@link BACKEND_VARIABLES}) holds a connection URL. An enabled backend that cannot be
 * reached fails the tests; it is never skipped silently.
 */
export function testBackends(env: NodeJS.ProcessEnv = process.env): TestBackend[] {
  const backends = [sqlite];
  const postgres = env[BACKEND_VARIABLES.postgres.variable];
  const mysql = env[BACKEND_VARIABLES.mysql.variable];
  if (postgres) backends.push(serverBackend('postgres', postgres));
  if (mysql) backends.push(serverBackend('mysql', mysql));
  return backends;
}

/** The server backends that are not enabled, with the variable that would enable each. */
export function skippedBackends(env: NodeJS.ProcessEnv = process.env): { name: BackendName; variable: string; example: string }[] {
  return (Object.entries(BACKEND_VARIABLES) as [BackendName, { variable: string; example: string }][])
    .filter(([, { variable }]) => !env[variable])
    .map(([name, rest]) => ({ name, ...rest }));
}

import type { Knex } from 'knex';
import { ConfigurationError } from '../errors.js';
import { mysqlDriver } from './mysql-driver.js';
import { pgDriver } from './pg-driver.js';
import type { SqlDriver } from './sql-session.js';
import { sqliteDriver } from './sqlite-driver.js';

const drivers: Record<string, (knex: Knex) => SqlDriver> = {
  pg: pgDriver,
  mysql2: mysqlDriver,
  'better-sqlite3': sqliteDriver,
};

/**
 * The hot-path driver for a knex instance.
 * @throws ConfigurationError for a client otpkit does not support (pg, mysql2 and better-sqlite3 are).
 */
export function driverFor(knex: Knex): SqlDriver {
  const name = (knex.client as { driverName?: string }).driverName ?? '';
  const make = drivers[name];
  if (make === undefined) {
    throw new ConfigurationError(
      `knex client "${name}" is not supported; use "pg" (PostgreSQL), "mysql2" (MySQL/MariaDB) or "better-sqlite3" (SQLite)`,
    );
  }
  return make(knex);
}

import type { Knex } from 'knex';
import { ConfigurationError } from '../errors.js';
import { mysqlDriver } from './mysql-driver.js';
import { pgDriver } from './pg-driver.js';
import type { SqlDriver } from './sql-session.js';
import { sqliteDriver } from './sqlite-driver.js';

/** How the hot path talks to the database, from createOtp's options. */
export interface DriverOptions {
  /** Named prepared statements on PostgreSQL (`createOtp({ preparedStatements })`). @default true */
  readonly preparedStatements?: boolean;
}

const drivers: Record<string, (knex: Knex, options: DriverOptions) => SqlDriver> = {
  pg: pgDriver,
  mysql2: mysqlDriver,
  'better-sqlite3': sqliteDriver,
};

/**
 * The hot-path driver for a knex instance.
 * @throws ConfigurationError for a client otpkit does not support (pg, mysql2 and better-sqlite3 are).
 */
export function driverFor(knex: Knex, options: DriverOptions = {}): SqlDriver {
  const name = driverNameOf(knex);
  const make = drivers[name];
  if (make === undefined) {
    throw new ConfigurationError(
      `knex client "${name}" is not supported; use "pg" (PostgreSQL), "mysql2" (MySQL/MariaDB) or "better-sqlite3" (SQLite)`,
    );
  }
  return make(knex, options);
}

/**
 * The hot-path driver for `readKnex`, a replica of `knex`'s database.
 * @throws ConfigurationError when `readKnex` is not a knex instance with the same client as `knex`.
 */
export function replicaDriverFor(knex: Knex, readKnex: Knex, options: DriverOptions = {}): SqlDriver {
  if (typeof readKnex !== 'function' || readKnex.client === undefined) {
    throw new ConfigurationError('readKnex must be a knex instance on a read replica of the knex database, or left out');
  }
  if (driverNameOf(readKnex) !== driverNameOf(knex)) {
    throw new ConfigurationError(`readKnex uses the client "${driverNameOf(readKnex)}" but knex uses "${driverNameOf(knex)}": a replica is read with the primary's client`);
  }
  return driverFor(readKnex, options);
}

function driverNameOf(knex: Knex): string {
  return (knex.client as { driverName?: string }).driverName ?? '';
}

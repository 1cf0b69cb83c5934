import type Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { withPooledConnection, withPooledTransaction, type DriverWire } from './knex-pool.js';
import { sendInTurn, type Call, type Outcome, type SqlDriver } from './sql-session.js';
import { statementName } from './statement-name.js';

/** How long a writer waits for another process's write lock on the same file. */
const BUSY_TIMEOUT_MS = 5000;

const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepare(db: Database.Database, text: string): Database.Statement {
  let cache = prepared.get(db);
  if (cache === undefined) {
    cache = new Map();
    prepared.set(db, cache);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
  let statement = cache.get(text);
  if (statement === undefined) {
    statement = db.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}

function bindable(values: readonly unknown[]): unknown[] {
  return values.map((value) => (typeof value === 'boolean' ? Number(value) : value));
}

async function one(db: Database.Database, { statement, values }: Call): Promise<Outcome> {
  const prepared = prepare(db, statement.text);
  if (prepared.reader) {
    const rows = prepared.all(...bindable(values)) as Record<string, unknown>[];
    return { rows, count: rows.length };
  }
  return { rows: [], count: prepared.run(...bindable(values)).changes };
}

// IMMEDIATE takes the write lock up front, so two verifications never both read the old row.
const wire: DriverWire<Database.Database> = { begin: 'BEGIN IMMEDIATE', send: (db, calls) => sendInTurn(calls, (call) => one(db, call)) };

/** The hot path on SQLite through better-sqlite3, in-process: writes serialized by `BEGIN IMMEDIATE`. */
export function sqliteDriver(knex: Knex): SqlDriver {
  return {
    dialect: 'sqlite',
    statement: (text) => ({ name: statementName(text), text }),
    transaction: (work) => withPooledTransaction(knex, wire, work),
    connection: (work) => withPooledConnection(knex, wire, work),
  };
}

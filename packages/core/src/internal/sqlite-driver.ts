import type Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { withPooledConnection, withPooledTransaction, type TransactionControl } from './knex-pool.js';
import type { SqlDriver, SqlSession, Statement } from './sql-session.js';
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

const control: TransactionControl<Database.Database> = {
  // IMMEDIATE takes the write lock up front, so two verifications never both read the old row.
  begin: async (db) => prepare(db, 'BEGIN IMMEDIATE').run(),
  commit: async (db) => prepare(db, 'COMMIT').run(),
  rollback: async (db) => prepare(db, 'ROLLBACK').run(),
};

function sessionOn(db: Database.Database): SqlSession {
  return {
    rows: async (statement: Statement, values) => prepare(db, statement.text).all(...bindable(values)) as Record<string, unknown>[],
    run: async (statement: Statement, values) => prepare(db, statement.text).run(...bindable(values)).changes,
  };
}

/** The hot path on SQLite through better-sqlite3: writes serialized by `BEGIN IMMEDIATE`. */
export function sqliteDriver(knex: Knex): SqlDriver {
  return {
    dialect: 'sqlite',
    statement: (text) => ({ name: statementName(text), text }),
    transaction: (work) => withPooledTransaction(knex, control, (db: Database.Database) => work(sessionOn(db))),
    connection: (work) => withPooledConnection(knex, (db: Database.Database) => work(sessionOn(db))),
  };
}

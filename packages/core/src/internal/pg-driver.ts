import type { Knex } from 'knex';
import type pg from 'pg';
import { withPooledConnection, withPooledTransaction, type TransactionControl } from './knex-pool.js';
import type { SqlDriver, SqlSession, Statement } from './sql-session.js';
import { statementName } from './statement-name.js';

const control: TransactionControl<pg.Client> = {
  begin: (c) => c.query('BEGIN'),
  commit: (c) => c.query('COMMIT'),
  rollback: (c) => c.query('ROLLBACK'),
};

function sessionOn(connection: pg.Client): SqlSession {
  const run = (statement: Statement, values: readonly unknown[]) =>
    connection.query({ name: statement.name, text: statement.text, values: values as unknown[] });
  return {
    rows: async (statement, values) => (await run(statement, values)).rows,
    run: async (statement, values) => (await run(statement, values)).rowCount ?? 0,
  };
}

/** The hot path on PostgreSQL through node-postgres: named prepared statements, one per text. */
export function pgDriver(knex: Knex): SqlDriver {
  return {
    dialect: 'postgres',
    statement(text) {
      let index = 0;
      const rendered = text.replace(/\?/g, () => `$${++index}`);
      return { name: statementName(rendered), text: rendered };
    },
    transaction: (work) => withPooledTransaction(knex, control, (connection: pg.Client) => work(sessionOn(connection))),
    connection: (work) => withPooledConnection(knex, (connection: pg.Client) => work(sessionOn(connection))),
  };
}

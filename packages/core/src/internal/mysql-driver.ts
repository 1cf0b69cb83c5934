import type { Knex } from 'knex';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2';
import { withPooledConnection, withPooledTransaction, type TransactionControl } from './knex-pool.js';
import type { Row, SqlDriver, SqlSession } from './sql-session.js';
import { statementName } from './statement-name.js';

function query(connection: Connection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    connection.query(sql, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function execute(connection: Connection, sql: string, values: readonly unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    connection.execute(sql, values as Parameters<Connection['execute']>[1], (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const control: TransactionControl<Connection> = {
  begin: (c) => query(c, 'START TRANSACTION'),
  commit: (c) => query(c, 'COMMIT'),
  rollback: (c) => query(c, 'ROLLBACK'),
};

function sessionOn(connection: Connection): SqlSession {
  return {
    rows: async (statement, values) => (await execute(connection, statement.text, values)) as RowDataPacket[] as Row[],
    run: async (statement, values) => ((await execute(connection, statement.text, values)) as ResultSetHeader).affectedRows,
  };
}

/** The hot path on MySQL and MariaDB through mysql2: server-side prepared statements, cached per connection. */
export function mysqlDriver(knex: Knex): SqlDriver {
  return {
    dialect: 'mysql',
    statement: (text) => ({ name: statementName(text), text }),
    transaction: (work) => withPooledTransaction(knex, control, (connection: Connection) => work(sessionOn(connection))),
    connection: (work) => withPooledConnection(knex, (connection: Connection) => work(sessionOn(connection))),
  };
}

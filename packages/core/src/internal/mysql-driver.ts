import type { Knex } from 'knex';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2';
import { withPooledConnection, withPooledTransaction, type DriverWire } from './knex-pool.js';
import { sendInTurn, type Call, type Outcome, type Row, type SqlDriver } from './sql-session.js';
import { statementName } from './statement-name.js';

function one(connection: Connection, { statement, values }: Call): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: unknown) => {
      if (error) return reject(error);
      resolve(Array.isArray(result) ? { rows: result as RowDataPacket[] as Row[], count: result.length } : { rows: [], count: (result as ResultSetHeader).affectedRows });
    };
    if (statement.name === '') connection.query(statement.text, done);
    else connection.execute(statement.text, values as Parameters<Connection['execute']>[1], done);
  });
}

/** mysql2 answers one command before it sends the next: calls go in turn. */
const wire: DriverWire<Connection> = { begin: 'START TRANSACTION', send: (connection, calls) => sendInTurn(calls, (call) => one(connection, call)) };

/** The hot path on MySQL and MariaDB through mysql2: server-side prepared statements, cached per connection. */
export function mysqlDriver(knex: Knex): SqlDriver {
  return {
    dialect: 'mysql',
    statement: (text) => ({ name: statementName(text), text }),
    transaction: (work) => withPooledTransaction(knex, wire, work),
    connection: (work) => withPooledConnection(knex, wire, work),
  };
}

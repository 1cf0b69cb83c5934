import type { Knex } from 'knex';
import type pg from 'pg';
import { withPooledConnection, withPooledTransaction, type DriverWire } from './knex-pool.js';
import { settled, type Call, type Outcome, type SqlDriver } from './sql-session.js';
import type { DriverOptions } from './driver-for.js';
import { statementName } from './statement-name.js';

/** node-postgres' pipeline switch (recent pg 8 releases; older ones ignore it and send in turn), and its socket. */
type Pipelinable = pg.Client & { pipeline?: boolean; connection?: { stream?: { cork?(): void; uncork?(): void } } };

/**
 * Runs one call: a control statement as plain text; any other with its values, as a named
 * prepared statement (parsed once per connection) or, with `prepared` off, an unnamed one.
 */
async function one(connection: pg.Client, { statement, values }: Call, prepared: boolean): Promise<Outcome> {
  const result =
    statement.name === ''
      ? await connection.query(statement.text)
      : await connection.query({ ...(prepared ? { name: statement.name } : {}), text: statement.text, values: values as unknown[] });
  return { rows: result.rows, count: result.rowCount ?? 0 };
}

/**
 * Several calls are pipelined: written together (the socket corked meanwhile, so in one write),
 * each with its own Sync, and answered in order. The connection is ours alone between acquire and
 * release, so its pipeline switch is turned on for these calls only and put back as it was once
 * every one has settled.
 */
async function send(connection: Pipelinable, calls: readonly Call[], prepared: boolean): Promise<Outcome[]> {
  if (calls.length === 1) return [await one(connection, calls[0]!, prepared)];
  const before = connection.pipeline;
  const socket = connection.connection?.stream;
  connection.pipeline = true;
  try {
    socket?.cork?.();
    const sent = calls.map((call) => one(connection, call, prepared));
    socket?.uncork?.();
    return settled(await Promise.allSettled(sent));
  } finally {
    connection.pipeline = before;
  }
}

/**
 * The hot path on PostgreSQL through node-postgres, pipelined: named prepared statements, one per
 * text, unless `preparedStatements` is off (a pooler in transaction mode that does not keep them).
 */
export function pgDriver(knex: Knex, { preparedStatements = true }: DriverOptions = {}): SqlDriver {
  const wire: DriverWire<pg.Client> = { begin: 'BEGIN', send: (connection, calls) => send(connection, calls, preparedStatements) };
  return {
    dialect: 'postgres',
    statement(text) {
      let index = 0;
      const rendered = text.replace(/\?/g, () => `$${++index}`);
      return { name: statementName(rendered), text: rendered };
    },
    transaction: (work) => withPooledTransaction(knex, wire, work),
    connection: (work) => withPooledConnection(knex, wire, work),
  };
}

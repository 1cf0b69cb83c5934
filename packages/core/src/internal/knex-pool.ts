import type { Knex } from 'knex';
import { QueuedSession } from './queued-session.js';
import { controlStatement, type Call, type Outcome, type Send, type SqlSession } from './sql-session.js';

/** The parts of knex's client the hot path borrows connections through. Stable since knex 0.x. */
export interface KnexPoolClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}

/** knex's client, seen as a connection pool. */
export function knexPool(knex: Knex): KnexPoolClient {
  return knex.client as unknown as KnexPoolClient;
}

/**
 * Marks a connection as broken so knex's pool destroys it instead of handing it out again.
 * This is the flag knex's own drivers set when a connection errors.
 */
export function disposeConnection(connection: unknown, reason: unknown): void {
  (connection as { __knex__disposed?: unknown }).__knex__disposed = reason ?? 'otpkit: connection failed';
}

/** How a driver begins a transaction, and sends calls on one of its connections. */
export interface DriverWire<C> {
  /** The statement that begins a transaction (`BEGIN IMMEDIATE` on SQLite). */
  readonly begin: string;
  send(connection: C, calls: readonly Call[]): Promise<Outcome[]>;
}

const call = (text: string): readonly Call[] => [{ statement: controlStatement(text), values: [] }];
const COMMIT = call('COMMIT');
const ROLLBACK = call('ROLLBACK');

/**
 * Runs `work` on a connection borrowed from knex's pool, inside BEGIN/COMMIT (BEGIN sent with the
 * first statement, COMMIT with the last queued writes). When `work` or the commit throws, it rolls
 * back and rethrows that error. A connection whose rollback failed is disposed of; every
 * connection goes back to the pool.
 */
export async function withPooledTransaction<C, T>(knex: Knex, wire: DriverWire<C>, work: (session: SqlSession) => Promise<T>): Promise<T> {
  const pool = knexPool(knex);
  const connection = (await pool.acquireConnection()) as C;
  const send: Send = (calls) => wire.send(connection, calls);
  const session = new QueuedSession(send, call(wire.begin));
  try {
    const result = await work(session);
    await session.finish(COMMIT);
    return result;
  } catch (error) {
    if (!(await session.abandon(ROLLBACK))) disposeConnection(connection, error);
    throw error;
  } finally {
    await pool.releaseConnection(connection);
  }
}

/** Runs `work` on a connection borrowed from knex's pool, outside any transaction; queued writes are sent before it is returned. */
export async function withPooledConnection<C, T>(knex: Knex, wire: DriverWire<C>, work: (session: SqlSession) => Promise<T>): Promise<T> {
  const pool = knexPool(knex);
  const connection = (await pool.acquireConnection()) as C;
  const session = new QueuedSession((calls) => wire.send(connection, calls), []);
  try {
    const result = await work(session);
    await session.finish([]);
    return result;
  } finally {
    await pool.releaseConnection(connection);
  }
}

import type { Knex } from 'knex';

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

/** How a driver begins, commits and rolls back a transaction on one of its connections. */
export interface TransactionControl<C> {
  begin(connection: C): Promise<unknown>;
  commit(connection: C): Promise<unknown>;
  rollback(connection: C): Promise<unknown>;
}

/**
 * Runs `work` on a connection borrowed from knex's pool, inside BEGIN/COMMIT. When `work` throws,
 * it rolls back and rethrows `work`'s error. A connection whose BEGIN, COMMIT or ROLLBACK failed is
 * disposed of; every connection goes back to the pool.
 */
export async function withPooledTransaction<C, T>(
  knex: Knex,
  control: TransactionControl<C>,
  work: (connection: C) => Promise<T>,
): Promise<T> {
  const pool = knexPool(knex);
  const connection = (await pool.acquireConnection()) as C;
  let healthy = false;
  try {
    await control.begin(connection);
    let result: T;
    try {
      result = await work(connection);
    } catch (error) {
      healthy = await control.rollback(connection).then(() => true, () => false);
      throw error;
    }
    await control.commit(connection);
    healthy = true;
    return result;
  } catch (error) {
    if (!healthy) disposeConnection(connection, error);
    throw error;
  } finally {
    await pool.releaseConnection(connection);
  }
}

/** Runs `work` on a connection borrowed from knex's pool, outside any transaction. */
export async function withPooledConnection<C, T>(knex: Knex, work: (connection: C) => Promise<T>): Promise<T> {
  const pool = knexPool(knex);
  const connection = (await pool.acquireConnection()) as C;
  try {
    return await work(connection);
  } finally {
    await pool.releaseConnection(connection);
  }
}

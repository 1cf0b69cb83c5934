/**
 * The hot path's own access to the database: one pooled connection, one transaction, statements
 * prepared once per connection. knex and objection stay the model and migration layer; this
 * exists because building SQL with the query builder on every verification costs ~4x the client
 * CPU of the driver alone while a row lock is held.
 * @module
 */

/** A SQL statement written once with `?` placeholders, rendered for one dialect. */
export interface Statement {
  /** A name unique to the text, for drivers that name prepared statements; `''` for a control statement (BEGIN, COMMIT) sent as plain text. */
  readonly name: string;
  /** The dialect's text (`$1` placeholders on PostgreSQL). */
  readonly text: string;
}

/** A row as the driver returns it, keyed by column name. */
export type Row = Record<string, unknown>;

/** One statement with its values. */
export interface Call {
  readonly statement: Statement;
  readonly values: readonly unknown[];
}

/** What one call returned: its rows (none for a write) and how many rows it changed. */
export interface Outcome {
  readonly rows: Row[];
  readonly count: number;
}

/**
 * Sends calls on one connection, in order, and resolves each one's outcome: together in one round
 * trip where the driver pipelines (PostgreSQL), one after another elsewhere. Rejects with the
 * first failure; the calls after a failure do not take effect (they fail, or are not sent).
 */
export type Send = (calls: readonly Call[]) => Promise<Outcome[]>;

/** One connection inside one transaction. */
export interface SqlSession {
  /** Runs a statement that returns rows. */
  rows(statement: Statement, values: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement that changes rows; returns how many it changed. */
  run(statement: Statement, values: readonly unknown[]): Promise<number>;
  /** Runs statements in order and returns each one's rows, sent together where the driver can. */
  batch(calls: readonly Call[]): Promise<Row[][]>;
  /**
   * Queues a write whose count nobody needs: it goes out with the next statement, or with the
   * COMMIT. Its failure fails that statement (or the commit), so the transaction rolls back.
   */
  write(statement: Statement, values: readonly unknown[]): void;
}

/** What a database needs to run the hot path. */
export interface SqlDriver {
  /** The dialect: decides locking clauses, upserts and placeholders. */
  readonly dialect: 'postgres' | 'mysql' | 'sqlite';
  /** Renders a statement written with `?` placeholders. */
  statement(text: string): Statement;
  /**
   * Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled
   * back when it throws. BEGIN goes out with the first statement, and the writes queued last go
   * out with the COMMIT. Driver failures are thrown as they are; the caller wraps them.
   */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `work` on one pooled connection without a transaction (single reads). */
  connection<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

/** A control statement (BEGIN, COMMIT), sent as plain text and never prepared. */
export function controlStatement(text: string): Statement {
  return { name: '', text };
}

/** The values of settled calls in order, or the first failure. */
export function settled<T>(results: readonly PromiseSettledResult<T>[]): T[] {
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/** Sends calls one after another, for drivers that cannot pipeline; stops at the first failure. */
export async function sendInTurn(calls: readonly Call[], one: (call: Call) => Promise<Outcome>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const call of calls) outcomes.push(await one(call));
  return outcomes;
}

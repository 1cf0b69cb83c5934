/**
 * The hot path's own access to the database: one pooled connection, one transaction, statements
 * prepared once per connection. knex and objection stay the model and migration layer; this
 * exists because building SQL with the query builder on every verification costs ~4x the client
 * CPU of the driver alone while a row lock is held.
 * @module
 */

/** A SQL statement written once with `?` placeholders, rendered for one dialect. */
export interface Statement {
  /** A name unique to the text, for drivers that name prepared statements. */
  readonly name: string;
  /** The dialect's text (`$1` placeholders on PostgreSQL). */
  readonly text: string;
}

/** A row as the driver returns it, keyed by column name. */
export type Row = Record<string, unknown>;

/** One connection inside one transaction. */
export interface SqlSession {
  /** Runs a statement that returns rows. */
  rows(statement: Statement, values: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement that changes rows; returns how many it changed. */
  run(statement: Statement, values: readonly unknown[]): Promise<number>;
}

/** What a database needs to run the hot path. */
export interface SqlDriver {
  /** The dialect: decides locking clauses, upserts and placeholders. */
  readonly dialect: 'postgres' | 'mysql' | 'sqlite';
  /** Renders a statement written with `?` placeholders. */
  statement(text: string): Statement;
  /**
   * Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled
   * back when it throws. Driver failures are thrown as they are; the caller wraps them.
   */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `work` on one pooled connection without a transaction (single reads). */
  connection<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

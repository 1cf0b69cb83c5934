import type { Call, Outcome, Row, Send, SqlSession, Statement } from './sql-session.js';

/**
 * A session that holds back what need not wait: the BEGIN (sent with the first statement) and the
 * writes whose counts nobody reads (sent with the next statement, or the COMMIT). On a driver that
 * pipelines, a verification is two round trips: BEGIN and its locking reads, then its writes and
 * COMMIT. The statements, their order and the locks they take are those of the plain sequence.
 */
export class QueuedSession implements SqlSession {
  readonly #send: Send;
  /** What the first round trip starts with (BEGIN); emptied once sent. */
  #opening: readonly Call[];
  /** Whether anything was sent: until then, there is nothing to roll back. */
  #started = false;
  #pending: Call[] = [];

  constructor(send: Send, opening: readonly Call[]) {
    this.#send = send;
    this.#opening = opening;
  }

  async rows(statement: Statement, values: readonly unknown[]): Promise<Row[]> {
    return (await this.#flush([{ statement, values }]))[0]!.rows;
  }

  async run(statement: Statement, values: readonly unknown[]): Promise<number> {
    return (await this.#flush([{ statement, values }]))[0]!.count;
  }

  async batch(calls: readonly Call[]): Promise<Row[][]> {
    return (await this.#flush(calls)).map((outcome) => outcome.rows);
  }

  write(statement: Statement, values: readonly unknown[]): void {
    this.#pending.push({ statement, values });
  }

  /** Sends the queued writes with `closing` (COMMIT); sends nothing when nothing was run or queued. */
  async finish(closing: readonly Call[]): Promise<void> {
    if (!this.#started && this.#pending.length === 0) return;
    await this.#flush(closing);
  }

  /** Drops what is queued and sends `rollback` if the transaction began; resolves whether the connection is usable. */
  async abandon(rollback: readonly Call[]): Promise<boolean> {
    this.#pending = [];
    if (!this.#started) return true;
    return this.#send(rollback).then(
      () => true,
      () => false,
    );
  }

  /** Sends the queued calls and `calls` together; resolves the outcomes of `calls`. */
  async #flush(calls: readonly Call[]): Promise<Outcome[]> {
    const queued = [...this.#opening, ...this.#pending];
    this.#opening = [];
    this.#pending = [];
    this.#started = true;
    if (queued.length === 0 && calls.length === 0) return [];
    const outcomes = await this.#send(queued.length === 0 ? calls : [...queued, ...calls]);
    return outcomes.slice(queued.length);
  }
}

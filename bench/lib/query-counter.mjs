/**
 * Counts the statements node-postgres sends, by wrapping `pg.Client.prototype.query` (the hot path
 * and knex both send through it), and the round trips they took, at the socket
 * (`countRoundTrips`): pipelined statements share one.
 * @module
 */
import { countRoundTrips } from '@otpkit/core/testing';
import pg from 'pg';

/**
 * The statements sent while `work` runs, each as its text, and the round trips.
 * @template T
 * @param {() => Promise<T>} work
 * @returns {Promise<{ result: T, statements: string[], roundTrips: number }>}
 */
export async function recordStatements(work) {
  const statements = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function query(config, ...rest) {
    statements.push(typeof config === 'string' ? config : config.text);
    return original.call(this, config, ...rest);
  };
  try {
    const { result, roundTrips } = await countRoundTrips(work);
    return { result, statements, roundTrips };
  } finally {
    pg.Client.prototype.query = original;
  }
}

/** How many of `statements` read (SELECT) from each `otp_*` table (the table of the first FROM; a subquery's is not counted). */
export function readsByTable(statements) {
  const counts = {};
  for (const text of statements.filter((statement) => /^\s*SELECT\b/i.test(statement))) {
    const table = /\bFROM\s+(otp_[a-z_]+)/i.exec(text)?.[1];
    if (table !== undefined) counts[table] = (counts[table] ?? 0) + 1;
  }
  return counts;
}

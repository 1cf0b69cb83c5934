/**
 * `verifyToken` per second on SQLite in one process, against the same transaction done with
 * better-sqlite3 alone on the same file.
 * @module
 */
import { createSqliteDatabase } from '../lib/databases.mjs';
import { sqliteCeilingTransaction } from '../lib/sqlite-ceiling.mjs';
import { VerifyBench } from '../lib/verify-bench.mjs';

/**
 * @param {import('../lib/report.mjs').Report} report
 * @param {{ kind: import('../lib/kinds.mjs').BenchKind, timing: { rounds: number, roundMs: number } }} options
 */
export async function verifySqlite(report, { kind, timing }) {
  const database = createSqliteDatabase();
  const bench = await VerifyBench.create({
    database,
    kind,
    devices: 10_000,
    ceiling: (knex, table) => sqliteCeilingTransaction(knex, { filename: database.filename, table }),
  });
  try {
    const { reference: ceiling, subject: verify, throughputRatio } = await bench.compare(1, timing);
    report.add({ name: 'sqlite ceiling, one process', measure: 'tx/s', value: ceiling.perSecond, ratio: 1, against: 'sqlite ceiling', detail: ceiling });
    report.add({
      name: `verifyToken (${kind.type}) on sqlite, one process`,
      measure: 'ops/s',
      value: verify.perSecond,
      ratio: throughputRatio,
      against: 'sqlite ceiling',
      detail: verify,
    });
  } finally {
    await bench.destroy();
  }
}

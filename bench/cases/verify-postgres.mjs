/**
 * `verifyToken` on PostgreSQL against the ceiling at concurrency 1 and 8 with 10,000 devices,
 * then its latency with 1,000,000 devices against 10,000, in alternating rounds on two databases.
 * @module
 */
import { ceilingTransaction } from '../lib/ceiling.mjs';
import { createPostgresDatabase } from '../lib/databases.mjs';
import { runPaired } from '../lib/load.mjs';
import { VerifyBench } from '../lib/verify-bench.mjs';

const POOL_SIZE = 8;

async function createBench(serverUrl, kind, devices) {
  const database = await createPostgresDatabase(serverUrl, { poolSize: POOL_SIZE });
  return VerifyBench.create({
    database,
    kind,
    devices,
    ceiling: (knex, table) => ceilingTransaction(knex, { url: database.url, table, poolSize: POOL_SIZE }),
  });
}

/**
 * @param {import('../lib/report.mjs').Report} report
 * @param {{ serverUrl: string, kind: import('../lib/kinds.mjs').BenchKind, timing: { rounds: number, roundMs: number }, scaleDevices: number }} options
 * @returns the ceiling's transactions per second at concurrency 8, for figures measured elsewhere
 */
export async function verifyPostgres(report, { serverUrl, kind, timing, scaleDevices }) {
  const small = await createBench(serverUrl, kind, 10_000);
  let large;
  try {
    let ceilingC8 = null;
    for (const concurrency of [1, 8]) {
      const { reference, subject, throughputRatio } = await small.compare(concurrency, timing);
      if (concurrency === 8) ceilingC8 = reference.perSecond;
      const against = `pg ceiling c${concurrency}`;
      report.add({ name: `pg ceiling c${concurrency}, 10k devices`, measure: 'tx/s', value: reference.perSecond, ratio: 1, against, detail: reference });
      report.add({
        name: `verifyToken (${kind.type}) c${concurrency}, 10k devices`,
        measure: 'ops/s',
        value: subject.perSecond,
        ratio: throughputRatio,
        against,
        ...(concurrency === 8 ? { target: { min: 0.7 } } : {}),
        detail: subject,
      });
    }

    large = await createBench(serverUrl, kind, scaleDevices);
    const scale = await runPaired({
      concurrency: 1,
      ...timing,
      reference: () => small.verifyOperation(1),
      subject: () => large.verifyOperation(1),
    });
    const label = `${scaleDevices / 1e6}M devices`;
    report.add({
      name: `verifyToken (${kind.type}) c1 p50, ${label}`,
      measure: 'ms',
      value: scale.subject.p50Ms,
      ratio: scale.p50Ratio,
      against: 'the same with 10k devices',
      target: { max: 1.2 },
      detail: scale.subject,
    });
    const { reference, subject, p50Ratio } = await large.compare(1, timing);
    report.add({ name: `pg ceiling c1 p50, ${label}`, measure: 'ms', value: reference.p50Ms, ratio: 1, against: `pg ceiling c1 p50, ${label}`, detail: reference });
    report.add({
      name: `verifyToken (${kind.type}) c1 p50 vs ceiling, ${label}`,
      measure: 'ms',
      value: subject.p50Ms,
      ratio: p50Ratio,
      against: `pg ceiling c1 p50, ${label}`,
      detail: subject,
    });
    return ceilingC8;
  } finally {
    await large?.destroy();
    await small.destroy();
  }
}

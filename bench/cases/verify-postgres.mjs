/**
 * `verifyToken` on PostgreSQL against the ceiling at concurrency 1 and 8 with 10,000 devices,
 * then its latency with 1,000,000 devices against 10,000, in alternating rounds on two databases.
 * @module
 */
import { ceilingTransaction } from '../lib/ceiling.mjs';
import { createPostgresDatabase } from '../lib/databases.mjs';
import { median, runLoad, runPaired } from '../lib/load.mjs';
import { hasPgbench, pgbenchTransaction } from '../lib/pgbench.mjs';
import { VerifyBench } from '../lib/verify-bench.mjs';

const POOL_SIZE = 8;
const CLIENTS = 8;

/**
 * pgbench, then otpkit from one process and from two, at 8 clients in all, in alternating rounds;
 * then pgbench's mean latency at one client against otpkit's p50 and p99. The goals: one
 * process ≥ 0.7 of pgbench, two ≥ 0.9.
 */
async function againstPgbench(report, bench, kind, timing) {
  const pgbench = await pgbenchTransaction(bench.database.knex, { url: bench.database.url, table: kind.table });
  const processes = await bench.processes({ count: 2, concurrency: CLIENTS / 2 });
  try {
    const seconds = Math.max(1, Math.round(timing.roundMs / 1000));
    const durationMs = seconds * 1000;
    await processes.run(durationMs); // warms the new processes up (JIT, connections), unmeasured
    const rounds = [];
    for (let round = 0; round < timing.rounds; round += 1) {
      const reference = await pgbench.measure(CLIENTS, seconds);
      const one = await runLoad({ concurrency: CLIENTS, durationMs, warmupMs: 200, operation: bench.verifyOperation(CLIENTS) });
      const two = await processes.run(durationMs);
      rounds.push({ reference, one, two });
    }
    const rate = (pick) => median(rounds.map(pick));
    const against = `pgbench c${CLIENTS}`;
    report.add({ name: `pgbench c${CLIENTS}, verification transaction`, measure: 'tx/s', value: rate((r) => r.reference.perSecond), ratio: 1, against });
    for (const [label, pick, min] of [['one process', (r) => r.one, 0.7], ['two processes', (r) => r.two, 0.9]]) {
      report.add({
        name: `verifyToken (${kind.type}) c${CLIENTS}, ${label}`,
        measure: 'ops/s',
        value: rate((r) => pick(r).perSecond),
        ratio: rate((r) => pick(r).perSecond / r.reference.perSecond),
        against,
        target: { min },
      });
    }
    const single = await pgbench.measure(1, seconds * timing.rounds);
    const latency = await runLoad({ concurrency: 1, durationMs: durationMs * timing.rounds, warmupMs: 200, operation: bench.verifyOperation(1) });
    report.add({ name: 'pgbench c1 mean latency', measure: 'ms', value: single.meanMs, ratio: 1, against: 'pgbench c1 mean latency' });
    for (const [label, value] of [['p50', latency.p50Ms], ['p99', latency.p99Ms]]) {
      report.add({ name: `verifyToken (${kind.type}) c1 ${label}`, measure: 'ms', value, ratio: value / single.meanMs, against: 'pgbench c1 mean latency', detail: latency });
    }
  } finally {
    await processes.stop();
    await pgbench.close();
  }
}

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

    if (await hasPgbench()) await againstPgbench(report, small, kind, timing);
    else report.skip('pgbench ceiling', 'pgbench is not on the PATH');

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

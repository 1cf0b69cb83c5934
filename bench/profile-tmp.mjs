import { ceilingTransaction } from './lib/ceiling.mjs';
import { createPostgresDatabase } from './lib/databases.mjs';
import { VerifyBench } from './lib/verify-bench.mjs';
import { totpKind } from './lib/kinds.mjs';
import { runLoad } from './lib/load.mjs';
const database = await createPostgresDatabase('postgres://postgres@127.0.0.1:5432/test', { poolSize: 8 });
const b = await VerifyBench.create({ database, kind: totpKind, devices: 10000, ceiling: (knex, table) => ceilingTransaction(knex, { url: database.url, table, poolSize: 8 }) });
try {
  for (const [name, op] of [['ceiling', () => b.ceilingOperation(8)], ['verify', () => b.verifyOperation(8)], ['ceiling', () => b.ceilingOperation(8)], ['verify', () => b.verifyOperation(8)]]) {
    const cpu = process.cpuUsage();
    const r = await runLoad({ concurrency: 8, durationMs: 3000, warmupMs: 0, operation: op() });
    const used = process.cpuUsage(cpu);
    console.log(name, r.perSecond.toFixed(0), 'client cpu us/op', ((used.user + used.system) / r.operations).toFixed(0));
  }
} finally { await b.destroy(); }

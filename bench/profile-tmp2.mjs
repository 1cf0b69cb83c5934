import { ceilingTransaction } from './lib/ceiling.mjs';
import { createPostgresDatabase } from './lib/databases.mjs';
import { VerifyBench } from './lib/verify-bench.mjs';
import { totpKind } from './lib/kinds.mjs';
import { runLoad } from './lib/load.mjs';
const database = await createPostgresDatabase('postgres://postgres@127.0.0.1:5432/test', { poolSize: 8 });
const b = await VerifyBench.create({ database, kind: totpKind, devices: 10000, ceiling: (knex, table) => ceilingTransaction(knex, { url: database.url, table, poolSize: 8 }) });
try {
  const r = await runLoad({ concurrency: 8, durationMs: 8000, warmupMs: 0, operation: b.verifyOperation(8) });
  console.log(r.perSecond);
} finally { await b.destroy(); }

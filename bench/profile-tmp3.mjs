import pg from 'pg';
import { ceilingTransaction } from './lib/ceiling.mjs';
import { createPostgresDatabase } from './lib/databases.mjs';
import { VerifyBench } from './lib/verify-bench.mjs';
import { totpKind } from './lib/kinds.mjs';
import { runLoad } from './lib/load.mjs';
const database = await createPostgresDatabase('postgres://postgres@127.0.0.1:5432/test', { poolSize: 8 });
const b = await VerifyBench.create({ database, kind: totpKind, devices: 10000, ceiling: (knex, table) => ceilingTransaction(knex, { url: database.url, table, poolSize: 8 }) });
const q = pg.Client.prototype.query; let n = 0; const texts = new Map();
pg.Client.prototype.query = function (...a) { n++; const t = typeof a[0] === 'string' ? a[0] : a[0].text; texts.set(t, (texts.get(t) ?? 0) + 1); return q.apply(this, a); };
const net = await import('node:net'); let w = 0; const ow = net.Socket.prototype._writev; net.Socket.prototype._writev = function (...a) { w++; return ow.apply(this, a); }; const ow2 = net.Socket.prototype._write; net.Socket.prototype._write = function (...a) { w++; return ow2.apply(this, a); };
try {
  for (const [name, op] of [['ceiling', () => b.ceilingOperation(1)], ['verify', () => b.verifyOperation(1)]]) {
    n = 0; w = 0; texts.clear();
    const r = await runLoad({ concurrency: 1, durationMs: 1000, warmupMs: 0, operation: op() });
    console.log(name, 'queries/op', (n / r.operations).toFixed(2), 'socket writes/op', (w / r.operations).toFixed(2), [...texts.keys()].map(t=>t.slice(0,50)));
  }
} finally { await b.destroy(); }

/**
 * otpkit's benchmarks: every figure next to a ceiling measured in the same run (the same work
 * done with the bare database driver, or a bare Express handler), because shared machines are
 * noisy. Prints a table and writes bench/results/latest.json.
 *
 *   npm run bench                       builds, then runs everything (about 3 minutes)
 *   OTPKIT_BENCH_SECONDS=2 node bench/run.mjs   seconds of each side of each comparison (default 5)
 *   OTPKIT_BENCH_POSTGRES_URL=postgres://…      the PostgreSQL server to create the bench database on
 * @module
 */
import { fileURLToPath } from 'node:url';
import { verifyPostgres } from './cases/verify-postgres.mjs';
import { verifySqlite } from './cases/verify-sqlite.mjs';
import { postgresServerUrl } from './lib/databases.mjs';
import { totpKind } from './lib/kinds.mjs';
import { Report } from './lib/report.mjs';

const ROUNDS = 5;
const timing = { rounds: ROUNDS, roundMs: (Number(process.env.OTPKIT_BENCH_SECONDS ?? 5) * 1000) / ROUNDS };
const scaleDevices = Number(process.env.OTPKIT_BENCH_SCALE_DEVICES ?? 1_000_000);
const serverUrl = postgresServerUrl();
const report = new Report();

const sections = [
  ['verifyToken on PostgreSQL, 10k and 1M devices', () => verifyPostgres(report, { serverUrl, kind: totpKind, timing, scaleDevices })],
  ['verifyToken on SQLite', () => verifySqlite(report, { kind: totpKind, timing })],
];

for (const [title, run] of sections) {
  console.log(`\n${title}`);
  await run();
}
console.log(`\n${report.table()}`);
const out = fileURLToPath(new URL('./results/latest.json', import.meta.url));
report.write(out);
console.log(`\nwritten: ${out}`);

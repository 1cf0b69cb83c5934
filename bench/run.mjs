/**
 * otpkit's benchmarks: every figure next to a ceiling measured in the same run (the same work
 * done with the bare database driver, or a bare Express handler), because shared machines are
 * noisy. Prints a table and writes bench/results/latest.json.
 *
 *   npm run bench                       builds, then runs everything (about 3 minutes on 2 cores)
 *   OTPKIT_BENCH_SECONDS=2 node bench/run.mjs   seconds of each side of each comparison (default 8)
 *   OTPKIT_BENCH_POSTGRES_URL=postgres://…      the PostgreSQL server to create the bench databases on
 *   OTPKIT_BENCH_SCALE_DEVICES=1000000          devices in the scale figure
 *   OTPKIT_BENCH_PROFILE_DIR=/tmp/prof          CPU profile of the HTTP benchmark's server
 * @module
 */
import { fileURLToPath } from 'node:url';
import { httpValidate } from './cases/http.mjs';
import { matchPostgres } from './cases/match-postgres.mjs';
import { onePageLogin } from './cases/one-page-login.mjs';
import { verifyPostgres } from './cases/verify-postgres.mjs';
import { verifySqlite } from './cases/verify-sqlite.mjs';
import { postgresServerUrl } from './lib/databases.mjs';
import { totpKind } from './lib/kinds.mjs';
import { Report } from './lib/report.mjs';

const ROUNDS = 5;
const timing = { rounds: ROUNDS, roundMs: (Number(process.env.OTPKIT_BENCH_SECONDS ?? 8) * 1000) / ROUNDS };
const scaleDevices = Number(process.env.OTPKIT_BENCH_SCALE_DEVICES ?? 1_000_000);
const serverUrl = postgresServerUrl();
const report = new Report();

let ceilingPerSecond = null;
const sections = [
  ['verifyToken on PostgreSQL, 10k and 1M devices', async () => {
    ceilingPerSecond = await verifyPostgres(report, { serverUrl, kind: totpKind, timing, scaleDevices });
  }],
  ['matchToken on PostgreSQL, 10k users with 4 devices each', () => matchPostgres(report, { serverUrl, kind: totpKind, timing })],
  ['verifyToken on SQLite', () => verifySqlite(report, { kind: totpKind, timing })],
  ['HTTP: the JSON validate endpoint against a bare Express handler', () =>
    httpValidate(report, { serverUrl, seconds: timing.roundMs / 1000 + 1, rounds: 3, ceilingPerSecond })],
  ['HTTP: the one-page login refuses a wrong password and a wrong code in the same time', () => onePageLogin(report, { requests: 100 })],
];

for (const [title, run] of sections) {
  console.log(`\n${title}`);
  await run();
}
console.log(`\n${report.table()}`);
const out = fileURLToPath(new URL('./results/latest.json', import.meta.url));
report.write(out);
console.log(`\nwritten: ${out}`);

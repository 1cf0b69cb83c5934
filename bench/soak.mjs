/**
 * The soak benchmark (`bench/cases/soak.mjs`): measures the validate endpoint's capacity, then holds
 * it at 70 % of it. Prints a table and writes bench/results/soak.json.
 *
 *   npm run bench:soak                       builds, then soaks for 10 minutes
 *   OTPKIT_SOAK_SECONDS=60 node bench/soak.mjs   a shorter soak
 *   OTPKIT_SOAK_OUTPUT=/tmp/soak.json         where the JSON goes
 *   OTPKIT_BENCH_POSTGRES_URL=postgres://…   the PostgreSQL server (as `npm run bench`)
 *   OTPKIT_BENCH_REDIS_URL=redis://…         the Redis server for sessions (else OTPKIT_TEST_REDIS_URL, else redis://127.0.0.1:6379)
 * @module
 */
import { fileURLToPath } from 'node:url';
import { soak } from './cases/soak.mjs';
import { postgresServerUrl } from './lib/databases.mjs';
import { Report } from './lib/report.mjs';

const seconds = Number(process.env.OTPKIT_SOAK_SECONDS ?? 600);
if (!Number.isInteger(seconds) || seconds < 4) throw new Error('OTPKIT_SOAK_SECONDS must be a whole number of seconds, at least 4');
const redisUrl = process.env.OTPKIT_BENCH_REDIS_URL || process.env.OTPKIT_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const report = new Report();

console.log(`soak: ${seconds} s at 70 % of the validate endpoint's capacity`);
await soak(report, { serverUrl: postgresServerUrl(), redisUrl, seconds });
console.log(`\n${report.table()}`);
const out = process.env.OTPKIT_SOAK_OUTPUT || fileURLToPath(new URL('./results/soak.json', import.meta.url));
report.write(out);
console.log(`\nwritten: ${out}`);

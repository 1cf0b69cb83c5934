/**
 * The JSON validate endpoint (with session and a successful HOTP verification on PostgreSQL per
 * request) against a bare Express handler on the same server doing the same transaction with
 * node-postgres alone and the same session work, under autocannon, in alternating rounds.
 * @module
 */
import autocannon from 'autocannon';
import { createPostgresDatabase } from '../lib/databases.mjs';
import { seedHotpDevices, startServer, validateRequests } from '../lib/http-server.mjs';
import { median } from '../lib/load.mjs';
import { benchSecretKeys } from '../lib/verify-bench.mjs';

const USERS = 10_000;
const CONNECTIONS = 8;

/** An autocannon run, with the server's CPU time per request (µs) added as `cpuPerRequest`. */
async function load(server, seconds, request) {
  const before = await server.cpu();
  const result = await autocannon({ url: server.url, connections: CONNECTIONS, duration: seconds, requests: [request] });
  return { ...result, cpuPerRequest: ((await server.cpu()) - before) / result.requests.total };
}

/**
 * @param {import('../lib/report.mjs').Report} report
 * @param {{ serverUrl: string, seconds: number, rounds: number, ceilingPerSecond: number | null }} options
 */
export async function httpValidate(report, { serverUrl, seconds, rounds, ceilingPerSecond }) {
  const database = await createPostgresDatabase(serverUrl, { poolSize: 2 });
  const secretKeys = benchSecretKeys();
  let server;
  try {
    const { template, devices } = await seedHotpDevices(database, secretKeys, USERS);
    server = await startServer({ OTPKIT_BENCH_DATABASE_URL: database.url, OTPKIT_BENCH_SECRET_KEY: secretKeys[1] });
    const validate = validateRequests(devices, template);
    // The reference does the same transaction and session work on the same devices (its own stream).
    const bare = { ...validateRequests(devices, template), path: '/bare' };

    const pairs = [];
    for (let round = 0; round < rounds; round += 1) {
      const reference = await load(server, seconds, bare);
      const subject = await load(server, seconds, validate);
      pairs.push([reference, subject]);
    }
    const failed = pairs.reduce((sum, [reference, subject]) => sum + reference.non2xx + reference.errors + subject.non2xx + subject.errors, 0);
    if (failed > 0) throw new Error(`the HTTP benchmark had ${failed} failed requests`);
    const perSecond = (results) => results.reduce((sum, r) => sum + r.requests.total, 0) / results.reduce((sum, r) => sum + r.duration, 0);
    const bareRate = perSecond(pairs.map(([reference]) => reference));
    const validateRate = perSecond(pairs.map(([, subject]) => subject));
    const detail = (results) => ({
      p50Ms: median(results.map((r) => r.latency.p50)),
      serverCpuMicrosecondsPerRequest: median(results.map((r) => r.cpuPerRequest)),
    });
    const bareDetail = detail(pairs.map(([reference]) => reference));
    const validateDetail = detail(pairs.map(([, subject]) => subject));
    report.add({ name: `bare Express handler (pg transaction + session), ${CONNECTIONS} connections`, measure: 'req/s', value: bareRate, ratio: 1, against: 'bare Express handler', detail: bareDetail });
    report.add({
      name: `POST /api/2fa/validate with session, ${CONNECTIONS} connections`,
      measure: 'req/s',
      value: validateRate,
      ratio: median(pairs.map(([reference, subject]) => subject.requests.average / reference.requests.average)),
      against: 'bare Express handler',
      target: { min: 0.9 },
      detail: validateDetail,
    });
    report.add({
      name: 'server CPU per request, validate',
      measure: 'µs',
      value: validateDetail.serverCpuMicrosecondsPerRequest,
      ratio: validateDetail.serverCpuMicrosecondsPerRequest / bareDetail.serverCpuMicrosecondsPerRequest,
      against: 'server CPU per request, bare handler',
    });
    if (ceilingPerSecond !== null) {
      report.add({
        name: `POST /api/2fa/validate vs the database ceiling`,
        measure: 'req/s',
        value: validateRate,
        ratio: validateRate / ceilingPerSecond,
        against: 'pg ceiling c8 (verify section)',
      });
    }
  } finally {
    await server?.stop();
    await database.destroy();
  }
}

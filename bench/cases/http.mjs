/**
 * The JSON validate endpoint (with session and a successful HOTP verification on PostgreSQL per
 * request) against a bare Express handler on the same server, under autocannon, in alternating
 * rounds.
 * @module
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createOtp, decodeBase32, hotpToken } from '@otpkit/core';
import { hotp } from '@otpkit/hotp';
import { createPostgresDatabase } from '../lib/databases.mjs';
import { median } from '../lib/load.mjs';
import { benchSecretKeys } from '../lib/verify-bench.mjs';
import { cloneDevice, sampleDevices, seedingOtp } from '../lib/seed.mjs';

const USERS = 10_000;
const CONNECTIONS = 8;
const serverScript = fileURLToPath(new URL('../lib/http-app.mjs', import.meta.url));

/** With `OTPKIT_BENCH_PROFILE_DIR` set, the server writes a CPU profile there (`node --cpu-prof`). */
function profileArgs() {
  const dir = process.env.OTPKIT_BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

async function startServer(env) {
  const child = fork(serverScript, [], { env: { ...process.env, ...env }, execArgv: profileArgs(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    /** The server's CPU time so far, in microseconds. */
    cpu: () =>
      new Promise((resolve) => {
        child.once('message', ({ cpu }) => resolve(cpu.user + cpu.system));
        child.send('cpu');
      }),
    stop: () => new Promise((resolve) => {
      child.once('exit', resolve);
      child.send('stop');
    }),
  };
}

/** Every seeded device shares one key and starts at counter 0: one token list serves them all. */
function tokenList(template, length) {
  const key = decodeBase32(template.revealKey());
  return Array.from({ length }, (_, counter) => hotpToken(key, counter, template));
}

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
    const plugins = [hotp({ throttle: { factor: 0 } })];
    const otp = createOtp({ knex: database.knex, devices: plugins, secretKeys, logger: { warn: () => {} } });
    await otp.migrate();
    const template = await seedingOtp(otp, plugins).createDevice('hotp', 'bench-0', { confirmed: true });
    await cloneDevice(database.knex, { table: 'otp_hotp_device', templateId: template.id, from: 1, to: USERS });
    await otp.rotateSecrets();
    const devices = await sampleDevices(database.knex, { table: 'otp_hotp_device', type: 'hotp', limit: USERS });
    const tokens = tokenList(template, 64);
    server = await startServer({ OTPKIT_BENCH_DATABASE_URL: database.url, OTPKIT_BENCH_SECRET_KEY: secretKeys[1] });

    // Each request verifies the next device's next counter value; devices are used round-robin.
    let sent = 0;
    const validate = {
      method: 'POST',
      path: '/api/2fa/validate',
      setupRequest(request) {
        const device = devices[sent % devices.length];
        const counter = Math.floor(sent / devices.length);
        sent += 1;
        return {
          ...request,
          headers: { 'content-type': 'application/json', 'x-bench-user': device.userId },
          body: JSON.stringify({ token: tokens[counter], device: device.persistentId }),
        };
      },
    };
    const bare = {
      method: 'POST',
      path: '/bare',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: tokens[0], device: devices[0].persistentId }),
    };

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
    report.add({ name: `bare Express handler, ${CONNECTIONS} connections`, measure: 'req/s', value: bareRate, ratio: 1, against: 'bare Express handler', detail: bareDetail });
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

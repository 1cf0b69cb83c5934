/**
 * What the HTTP benchmarks share: HOTP devices seeded on PostgreSQL, the stream of validate
 * requests that verifies them, and the server (`http-app.mjs`) run in a process of its own so the
 * load generator does not share its event loop.
 * @module
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createOtp, decodeBase32, hotpToken } from '@otpkit/core';
import { hotp } from '@otpkit/hotp';
import { cloneDevice, sampleDevices, seedingOtp } from './seed.mjs';

const serverScript = fileURLToPath(new URL('./http-app.mjs', import.meta.url));

/**
 * `users` confirmed HOTP devices, one per user, all with the same key at counter 0.
 * @param {{ knex: import('knex').Knex }} database
 * @param {Record<string, string>} secretKeys
 * @param {number} users
 */
export async function seedHotpDevices(database, secretKeys, users) {
  const plugins = [hotp({ throttle: { factor: 0 } })];
  const otp = createOtp({ knex: database.knex, devices: plugins, secretKeys, logger: { warn: () => {} } });
  await otp.migrate();
  const template = await seedingOtp(otp, plugins).createDevice('hotp', 'bench-0', { confirmed: true });
  await cloneDevice(database.knex, { table: 'otp_hotp_device', templateId: template.id, from: 1, to: users });
  await otp.rotateSecrets();
  const devices = await sampleDevices(database.knex, { table: 'otp_hotp_device', type: 'hotp', limit: users });
  return { template, devices };
}

/**
 * An autocannon request that verifies the next device's next counter value on each call, devices
 * used round-robin; one stream serves several autocannon runs, each token sent once.
 * @param {{ userId: string, persistentId: string }[]} devices
 * @param {import('@otpkit/core').Device} template the device every seeded one copies
 */
export function validateRequests(devices, template) {
  const key = decodeBase32(template.revealKey());
  const tokens = [];
  const token = (counter) => (tokens[counter] ??= hotpToken(key, counter, template));
  let sent = 0;
  return {
    method: 'POST',
    path: '/api/2fa/validate',
    setupRequest(request) {
      const device = devices[sent % devices.length];
      const counter = Math.floor(sent / devices.length);
      sent += 1;
      return {
        ...request,
        headers: { 'content-type': 'application/json', 'x-bench-user': device.userId },
        body: JSON.stringify({ token: token(counter), device: device.persistentId }),
      };
    },
  };
}

/** With `OTPKIT_BENCH_PROFILE_DIR` set, the server writes a CPU profile there (`node --cpu-prof`). */
function profileArgs() {
  const dir = process.env.OTPKIT_BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** The server's answer to `question` (`'cpu'`, `'memory'` or `'heap'`), sent over IPC. */
function ask(child, question) {
  return new Promise((resolve) => {
    const answer = (message) => {
      if (message?.[question] === undefined) return;
      child.off('message', answer);
      resolve(message[question]);
    };
    child.on('message', answer);
    child.send(question);
  });
}

/**
 * Starts `http-app.mjs` with `env` added to this process's environment; with `exposeGc`, the
 * server can be asked for its heap after a full garbage collection (`heapAfterGc`).
 * @param {Record<string, string>} env
 * @param {{ exposeGc?: boolean }} [options]
 */
export async function startServer(env, { exposeGc = false } = {}) {
  const execArgv = [...profileArgs(), ...(exposeGc ? ['--expose-gc'] : [])];
  const child = fork(serverScript, [], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    /** The server's CPU time so far, in microseconds. */
    cpu: async () => {
      const cpu = await ask(child, 'cpu');
      return cpu.user + cpu.system;
    },
    /** The server's resident set size now, in bytes. */
    rss: () => ask(child, 'memory'),
    /** The server's used heap right after a full garbage collection, in bytes: what it keeps. */
    heapAfterGc: () => ask(child, 'heap'),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.send('stop');
      }),
  };
}

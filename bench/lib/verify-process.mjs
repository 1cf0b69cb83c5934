/**
 * A second (third, …) process verifying tokens on the bench database, so throughput across
 * processes on one database can be measured. Forked with `OTPKIT_BENCH_DATABASE_URL` and
 * `OTPKIT_BENCH_SECRET_KEY`; receives `{ template, devices, concurrency }` over IPC and answers
 * `'ready'`; then each `{ startMs, durationMs }` runs verifyToken load on its devices with its own
 * clock from `startMs` and answers the load result and the clock it ended at. Exits on `'stop'`.
 * @module
 */
import knexFactory from 'knex';
import { createOtp } from '@otpkit/core';
import { DevicePool } from './device-pool.mjs';
import { tokenSource, totpKind } from './kinds.mjs';
import { runLoad } from './load.mjs';

const knex = knexFactory({ client: 'pg', connection: process.env.OTPKIT_BENCH_DATABASE_URL, pool: { min: 0, max: 8 } });

process.once('message', async ({ template, devices, concurrency }) => {
  const pool = new DevicePool(0);
  pool.devices = devices;
  const otp = createOtp({
    knex,
    devices: [totpKind.plugin()],
    clock: pool.clock,
    secretKeys: { 1: process.env.OTPKIT_BENCH_SECRET_KEY },
    guessThrottle: { factor: 0 },
    logger: { warn: () => {} },
  });
  const token = tokenSource(totpKind, await otp.deviceFromPersistentId(template));
  process.on('message', async (message) => {
    if (message === 'stop') {
      await knex.destroy();
      process.exit(0);
    }
    pool.startMs = message.startMs;
    pool.pass = 0;
    const operation = pool.operations(concurrency, async (device) => (await otp.verifyToken(device.userId, device.persistentId, token(pool.clock()))) !== null);
    const result = await runLoad({ concurrency, durationMs: message.durationMs, warmupMs: 200, operation });
    process.send({ result, endMs: pool.clock() });
  });
  process.send('ready');
});

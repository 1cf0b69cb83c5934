/**
 * The HTTP benchmark's server, run in its own process so the load generator does not share its
 * event loop. Two apps on one port, as a real deployment would stack them:
 * - `POST /bare`: the reference, a bare Express handler doing what validate must: behind the same
 *   express-session, the verification transaction with node-postgres alone (BEGIN; SELECT … FOR
 *   UPDATE; UPDATE; COMMIT, as the ceiling does) on the named device, then the session regenerated,
 *   marked verified and saved;
 * - `POST /api/2fa/validate`: otpkit's JSON validate endpoint behind express-session and
 *   otpMiddleware. The user is named by an `x-bench-user` header (`getUserId`), as an app
 *   authenticating by API key would; the session is created, regenerated at verification and saved.
 *
 * Reads `OTPKIT_BENCH_DATABASE_URL` and `OTPKIT_BENCH_SECRET_KEY`; with `OTPKIT_BENCH_SESSION_REDIS_URL`,
 * sessions go to Redis (connect-redis, under `OTPKIT_BENCH_SESSION_PREFIX`, kept a minute) instead of
 * express-session's MemoryStore, which keeps every session of a long run. Reports `{ port }` over
 * IPC, answers `'cpu'` with its CPU time so far (`process.cpuUsage()`), `'memory'` with its
 * resident set size and, started with `--expose-gc`, `'heap'` with its used heap after a full
 * garbage collection; exits on `'stop'`.
 * @module
 */
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import knexFactory from 'knex';
import { createOtp } from '@otpkit/core';
import { otpMiddleware, twoFactorApi } from '@otpkit/express';
import { hotp } from '@otpkit/hotp';
import { createClient } from 'redis';
import { ceilingTransaction } from './ceiling.mjs';

const knex = knexFactory({ client: 'pg', connection: process.env.OTPKIT_BENCH_DATABASE_URL, pool: { min: 0, max: 8 } });
const otp = createOtp({
  knex,
  devices: [hotp({ throttle: { factor: 0 } })],
  secretKeys: { 1: process.env.OTPKIT_BENCH_SECRET_KEY },
  logger: { warn: () => {} },
});

const redisUrl = process.env.OTPKIT_BENCH_SESSION_REDIS_URL;
const redis = redisUrl ? await createClient({ url: redisUrl }).connect() : null;
const store = redis ? new RedisStore({ client: redis, prefix: process.env.OTPKIT_BENCH_SESSION_PREFIX ?? 'otpkit-bench:', ttl: 60 }) : undefined;

const app = express();
app.disable('x-powered-by');
app.use(
  session({
    name: 'bench.sid',
    secret: 'bench-session-secret-bench-session-secret',
    resave: false,
    saveUninitialized: false,
    store,
  }),
);
const transaction = await ceilingTransaction(knex, { url: process.env.OTPKIT_BENCH_DATABASE_URL, table: 'otp_hotp_device', poolSize: 8 });
app.post('/bare', express.json(), async (req, res, next) => {
  try {
    const id = Number(String(req.body?.device).split('/')[1]);
    const found = await transaction.run(id, Date.now());
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.verifiedDevice = req.body.device;
      req.session.save((saveError) => (saveError ? next(saveError) : res.json({ verified: found })));
    });
  } catch (error) {
    next(error);
  }
});
app.use(otpMiddleware(otp, { getUserId: (req) => req.get('x-bench-user') ?? null, logger: { warn: () => {} } }));
app.use('/api/2fa', twoFactorApi(otp));

const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', async (message) => {
  if (message === 'cpu') return process.send({ cpu: process.cpuUsage() });
  if (message === 'memory') return process.send({ memory: process.memoryUsage.rss() });
  if (message === 'heap') {
    globalThis.gc(); // started with --expose-gc by whoever asks
    return process.send({ heap: process.memoryUsage().heapUsed });
  }
  if (message !== 'stop') return;
  server.closeAllConnections();
  server.close();
  await transaction.close();
  await knex.destroy();
  await redis?.close();
  process.exit(0);
});

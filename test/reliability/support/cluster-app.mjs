/**
 * One process of an application run as several on one PostgreSQL database, for the many-process
 * tests (and quoted by docs/scaling.md): sessions in Redis (connect-redis) or PostgreSQL
 * (connect-pg-simple), the sign-in's limits in Redis (rate-limiter-flexible), the guessing budget
 * and send caps in the database as otpkit keeps them.
 *
 * Environment: `DATABASE_URL`, `OTP_KEY_1`, `SESSION_SECRET`; `SESSION_STORE` (`redis` or
 * `postgres`) with `REDIS_URL` for Redis sessions; `LIMITS_REDIS_URL` for the limits; `KEY_PREFIX`
 * keeps one test's keys and table apart from another's. Listens on a free port, reports `{ port }`
 * over IPC and exits on `'stop'`. `POST /login` (`{ userId }`) stands for the application's
 * password check; `GET /account` answers only a session verified with a second factor.
 * @module
 */
import { RedisStore } from 'connect-redis';
import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import knexFactory from 'knex';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { createOtp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { otpMiddleware, otpRequired, twoFactorApi } from '@otpkit/express';
import { createSignIn, DEFAULT_LIMITS } from '@otpkit/signin';
import { totp } from '@otpkit/totp';

const env = process.env;
const prefix = env.KEY_PREFIX ?? 'otpkit:';
const quiet = { warn: () => {} };
const closers = [];

const knex = knexFactory({ client: 'pg', connection: env.DATABASE_URL, pool: { min: 0, max: 4 } });
closers.push(() => knex.destroy());
const otp = createOtp({
  knex,
  devices: [totp(), email({ transport: nodemailer.createTransport({ jsonTransport: true }), from: 'signin@acme.example' })],
  secretKeys: { 1: env.OTP_KEY_1 },
  logger: quiet,
});

// #region redis-sessions
async function redisSessions() {
  const redis = createClient({ url: env.REDIS_URL });
  await redis.connect();
  return { store: new RedisStore({ client: redis, prefix: `${prefix}session:` }), close: () => redis.close() };
}
// #endregion

// #region postgres-sessions
function postgresSessions() {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 });
  const PgStore = connectPgSimple(session);
  const store = new PgStore({ pool, tableName: 'app_session', createTableIfMissing: true });
  return { store, close: async () => (store.close(), await pool.end()) };
}
// #endregion

// #region shared-limits
// Commands fail at once while Redis is away (no offline queue, rejectIfRedisNotReady): a limit
// that cannot be counted refuses with 503 storage_unavailable, it never lets the request through.
const limitsRedis = createClient({ url: env.LIMITS_REDIS_URL, disableOfflineQueue: true, socket: { reconnectStrategy: () => 200 } });
limitsRedis.on('error', () => {}); // reconnects by itself; each refused command is its own StorageError
await limitsRedis.connect();
const sharedLimit = (name) =>
  new RateLimiterRedis({ storeClient: limitsRedis, useRedisPackage: true, rejectIfRedisNotReady: true, keyPrefix: `${prefix}${name}`, ...DEFAULT_LIMITS[name] });
const signIn = createSignIn(otp, {
  limits: Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((name) => [name, sharedLimit(name)])),
});
// #endregion
closers.push(() => limitsRedis.close());

const sessions = env.SESSION_STORE === 'redis' ? await redisSessions() : postgresSessions();
closers.push(sessions.close);

const app = express();
app.use(session({ store: sessions.store, secret: env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.use(otpMiddleware(otp, { logger: quiet }));
app.post('/login', express.json(), (req, res, next) => {
  req.session.regenerate((error) => {
    if (error) return next(error);
    req.session.userId = req.body.userId;
    res.json({ pid: process.pid });
  });
});
app.use('/api/2fa', twoFactorApi(otp, { signIn }));
app.get('/account', otpRequired({ loginUrl: '/login' }), (req, res) => void res.json({ userId: req.session.userId, pid: process.pid }));

const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', async (message) => {
  if (message !== 'stop') return;
  server.closeAllConnections();
  server.close();
  for (const close of closers) await close();
  process.exit(0);
});

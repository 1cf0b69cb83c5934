/**
 * The one-page login's refusals, timed: a wrong password, an unknown username, and a right password
 * with a wrong code must take about as long, or the time of the answer tells a right password that
 * its words do not. `otpLoginRouter({ onePage: true })` on SQLite, with scrypt passwords (an
 * unknown username hashed against a decoy) and an HOTP device per user (not throttled, so every
 * wrong code is checked in full); the three kinds of request alternate, one at a time.
 * @module
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import express from 'express';
import session from 'express-session';
import { createOtp } from '@otpkit/core';
import { otpLoginRouter, otpMiddleware } from '@otpkit/express';
import { hotp } from '@otpkit/hotp';
import { createSqliteDatabase } from '../lib/databases.mjs';
import { median } from '../lib/load.mjs';
import { benchSecretKeys } from '../lib/verify-bench.mjs';

const hash = promisify(scrypt);
const USERS = 50;

/** A password store: scrypt hashes by username; an unknown username is hashed against a decoy. */
async function passwordStore() {
  const users = new Map();
  const decoy = { salt: randomBytes(16), hash: randomBytes(32) };
  for (let n = 0; n < USERS; n += 1) {
    const salt = randomBytes(16);
    users.set(`user${n}`, { id: `u${n}`, salt, hash: await hash(`password${n}`, salt, 32) });
  }
  return async (username, password) => {
    const user = users.get(username);
    const given = await hash(password, (user ?? decoy).salt, 32);
    return timingSafeEqual(given, (user ?? decoy).hash) && user !== undefined ? user.id : null;
  };
}

/** Posts the one-page form with the CSRF cookie and token of a first view; the time it took, in ms. */
async function timedPost(url, csrf, fields) {
  const started = performance.now();
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie },
    body: new URLSearchParams({ _csrf: csrf.token, ...fields }).toString(),
    redirect: 'manual',
  });
  await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== 400) throw new Error(`the one-page refusal answered ${response.status}`);
  return elapsed;
}

/**
 * @param {import('../lib/report.mjs').Report} report
 * @param {{ requests: number }} options  requests of each kind
 */
export async function onePageLogin(report, { requests }) {
  const database = createSqliteDatabase();
  let server;
  try {
    const otp = createOtp({ knex: database.knex, devices: [hotp({ throttle: { factor: 0 } })], secretKeys: benchSecretKeys(), logger: { warn: () => {} } });
    await otp.migrate();
    for (let n = 0; n < USERS; n += 1) await otp.createDevice('hotp', `u${n}`, { confirmed: true });
    const app = express();
    app.use(session({ secret: 'bench-session-secret-bench-session-secret', resave: false, saveUninitialized: false }));
    app.use(otpMiddleware(otp, { logger: { warn: () => {} } }));
    app.use(otpLoginRouter(otp, { authenticate: await passwordStore(), onePage: true }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${server.address().port}`;

    const view = await fetch(`${url}/login`);
    const csrf = { cookie: view.headers.get('set-cookie').split(';')[0], token: /name="_csrf" value="([^"]+)"/.exec(await view.text())[1] };
    const kinds = {
      'wrong password': (n) => ({ username: `user${n}`, password: 'not-the-password', otp_token: '000000' }),
      'unknown username': (n) => ({ username: `nobody${n}`, password: `password${n}`, otp_token: '000000' }),
      'right password, wrong code': (n) => ({ username: `user${n}`, password: `password${n}`, otp_token: '000000' }),
    };
    const times = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
    for (let round = 0; round < requests + 10; round += 1) {
      for (const [kind, fields] of Object.entries(kinds)) {
        const elapsed = await timedPost(url, csrf, fields(round % USERS));
        if (round >= 10) times[kind].push(elapsed); // the first rounds warm up
      }
    }
    const reference = median(times['wrong password']);
    for (const [kind, samples] of Object.entries(times)) {
      report.add({
        name: `one-page login refused: ${kind}`,
        measure: 'p50 ms',
        value: median(samples),
        ratio: median(samples) / reference,
        against: 'one-page login refused: wrong password',
        ...(kind === 'wrong password' ? {} : { target: { max: 1.2 } }),
      });
    }
  } finally {
    if (server !== undefined) {
      server.closeAllConnections();
      server.close();
    }
    await database.destroy();
  }
}

// Runs in an empty app that installed otpkit's tarballs: boots the getting-started app on
// DATABASE_URL (postgres:// or a SQLite file), enrols a TOTP device through the installed
// packages, and walks the login over HTTP. Prints "ok" or exits non-zero.
import assert from 'node:assert/strict';
import knexFactory from 'knex';
import { decodeBase32, hotpToken, totpTimeStep } from '@otpkit/core';
import { createApp } from './getting-started.js';

const url = process.env.DATABASE_URL;
const knex = knexFactory(
  url.startsWith('postgres') ? { client: 'pg', connection: url } : { client: 'better-sqlite3', connection: { filename: url }, useNullAsDefault: true },
);
await knex.schema.createTable('users', (t) => {
  t.increments('id');
  t.string('username', 150);
  t.string('email', 254);
});
const [row] = await knex('users').insert({ username: 'alice', email: 'alice@example.com' }, ['id']);
const aliceId = String(row.id ?? row);
const { app, otp } = await createApp(knex, async (username, password) => (username === 'alice' && password === 'pw' ? aliceId : null), async () => ({ refused: 'username_taken' }));
const device = await otp.createDevice('totp', aliceId, { name: 'Phone', confirmed: true });
const server = await new Promise((resolve) => {
  const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
});
const base = `http://127.0.0.1:${server.address().port}`;
let cookie = '';
async function request(path, fields) {
  const response = await fetch(base + path, {
    method: fields ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { cookie, ...(fields ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: fields ? new URLSearchParams(fields).toString() : undefined,
  });
  const set = response.headers.getSetCookie()[0];
  if (set) cookie = set.split(';')[0];
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}
const csrf = (page) => /name="_csrf" value="([^"]+)"/.exec(page)[1];

try {
  assert.equal((await request('/billing')).location, '/account/login?next=%2Fbilling');
  const login = await request('/account/login');
  const afterPassword = await request('/account/login', { _csrf: csrf(login.text), next: '/billing', username: 'alice', password: 'pw' });
  const verify = await request(afterPassword.location);
  const token = hotpToken(decodeBase32(device.revealKey()), totpTimeStep(Date.now(), 30, 0), { digits: 6, algorithm: 'sha1' });
  const afterToken = await request('/account/verify', { _csrf: csrf(verify.text), next: '/billing', otp_device: device.persistentId, otp_token: token });
  assert.equal(afterToken.location, '/billing');
  const billing = await request('/billing');
  assert.equal(billing.status, 200);
  assert.equal(billing.text, `Billing for user ${aliceId}, verified with Phone`);
  console.log('ok');
} finally {
  server.close();
  await knex.destroy();
}

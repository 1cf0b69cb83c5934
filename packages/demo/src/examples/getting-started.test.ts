import type { Server } from 'node:http';
import { decodeBase32, hotpToken, totpTimeStep, type UserId } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import type { TOTPDevice } from '@otpkit/totp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfField, HttpSession } from '../test-support/http-session.js';
import { createApp } from './getting-started.js';

process.env.OTP_KEY_1 ??= 'b'.repeat(64);
process.env.SESSION_SECRET ??= 'getting-started-test-session-secret';

/** The test's password check: alice's password is "correct horse". */
const checkPassword = async (username: string, password: string): Promise<UserId | null> =>
  username === 'alice' && password === 'correct horse' ? 'alice-id' : null;

for (const backend of testBackends()) {
  describe(`the getting-started app on ${backend.name}`, () => {
    let database: TestDatabase;
    let server: Server;
    let device: TOTPDevice;

    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 4 });
      await database.knex.schema.createTable('users', (t) => {
        t.string('id', 36).primary();
        t.string('username', 150);
        t.string('email', 254);
      });
      await database.knex('users').insert({ id: 'alice-id', username: 'alice', email: 'alice@example.com' });
      const { app, otp } = await createApp(database.knex, checkPassword);
      device = await otp.createDevice('totp', 'alice-id', { name: 'Phone', confirmed: true });
      server = await new Promise<Server>((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
    });
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await database?.destroy();
    });

    it('guards /billing until the user has logged in with a password and a TOTP token', async () => {
      const browser = HttpSession.of(server);
      expect(await browser.get('/billing')).toMatchObject({ status: 303, location: '/account/login?next=%2Fbilling' });

      const login = await browser.get('/account/login?next=%2Fbilling');
      const afterPassword = await browser.post('/account/login', {
        _csrf: csrfField(login.text),
        next: '/billing',
        username: 'alice',
        password: 'correct horse',
      });
      expect(afterPassword).toMatchObject({ status: 303, location: '/account/verify?next=%2Fbilling' });
      expect((await browser.get('/billing')).status).toBe(303);

      const verify = await browser.get(afterPassword.location!);
      const token = hotpToken(decodeBase32(device.revealKey()), totpTimeStep(Date.now(), 30, 0), { digits: 6, algorithm: 'sha1' });
      const afterToken = await browser.post('/account/verify', {
        _csrf: csrfField(verify.text),
        next: '/billing',
        otp_device: device.persistentId,
        otp_token: token,
      });
      expect(afterToken).toMatchObject({ status: 303, location: '/billing' });
      expect(await browser.get('/billing')).toMatchObject({ status: 200, text: 'Billing for user alice-id, verified with Phone' });
    });
  });
}

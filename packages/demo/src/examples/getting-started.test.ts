import type { Server } from 'node:http';
import { decodeBase32, hotpToken, totpTimeStep, type UserId } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import type { TOTPDevice } from '@otpkit/totp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfField, HttpSession } from '../test-support/http-session.js';
import { createApp } from './getting-started.js';

process.env.OTP_KEY_1 ??= 'b'.repeat(64);
process.env.SESSION_SECRET ??= 'getting-started-test-session-secret';

/** The test's users: alice's password is "correct horse"; those who sign up are kept in memory. */
const passwords = new Map<string, { id: string; password: string }>([['alice', { id: 'alice-id', password: 'correct horse' }]]);
const checkPassword = async (username: string, password: string): Promise<UserId | null> => {
  const user = passwords.get(username);
  return user !== undefined && user.password === password ? user.id : null;
};

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
      const createUser = async (username: string, password: string) => {
        if (passwords.has(username)) return { refused: 'username_taken' } as const;
        const id = `${username}-id`;
        await database.knex('users').insert({ id, username, email: null });
        passwords.set(username, { id, password });
        return id;
      };
      const { app, otp } = await createApp(database.knex, checkPassword, createUser);
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

    it('lets a new user sign up, enrol an authenticator app and backup codes, and reach the protected page', async () => {
      const browser = HttpSession.of(server);
      const signUpPage = await browser.get('/account/signup?next=%2Fbilling');
      const taken = await browser.post('/account/signup', { _csrf: csrfField(signUpPage.text), next: '/billing', username: 'alice', password: 'long enough' });
      expect(taken.status).toBe(400);
      expect(taken.text).toContain('That username is taken; choose another.');
      const signedUp = await browser.post('/account/signup', { _csrf: csrfField(taken.text), next: '/billing', username: `bob-${backend.name}`, password: 'long enough' });
      // The policy requires a second factor: the enrol page first; within the grace period it may wait.
      expect(signedUp).toMatchObject({ status: 303, location: '/account/enrol?next=%2Fbilling' });
      expect((await browser.get('/billing')).text).toBe(`Billing for user bob-${backend.name}-id, who has 7 days to set up two-factor`);

      const choice = await browser.get(signedUp.location!);
      const setup = await browser.post('/account/enrol', { _csrf: csrfField(choice.text), next: '/billing', method: 'totp' });
      const key = /<code id="otp_key">([A-Z2-7 ]+)<\/code>/.exec(setup.text)![1]!.replace(/ /g, '');
      const device = /name="device" value="(totp\/\d+)"/.exec(setup.text)![1]!;
      const token = hotpToken(decodeBase32(key), totpTimeStep(Date.now(), 30, 0), { digits: 6, algorithm: 'sha1' });
      const confirmed = await browser.post('/account/enrol/confirm', { _csrf: csrfField(setup.text), next: '/billing', device, otp_token: token });
      // Backup codes are offered right away, shown once.
      const codes = [...confirmed.text.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((match) => match[1]!);
      expect(codes).toHaveLength(10);
      const done = await browser.post('/account/enrol/done', { _csrf: csrfField(confirmed.text), next: '/billing' });
      expect(done).toMatchObject({ status: 303, location: '/billing' });
      expect((await browser.get('/billing')).text).toMatch(new RegExp(`^Billing for user bob-${backend.name}-id, verified with `));
    });
  });
}

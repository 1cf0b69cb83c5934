import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totp, type TOTPDevice } from '@otpkit/totp';
import type { Otp } from '@otpkit/core';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { passportApp } from '../../packages/express/src/examples/passport.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { serveApp, type TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { haveTools } from '../support/external-tools.js';
import { oathtoolTotp } from './support/oathtool.js';

describe.runIf(haveTools('oathtool'))('with oathtool', () => {
  describeOnBackends('docs/passport.md example', (fixture) => {
    let otp: Otp;
    let server: TestServer;
    const secrets = new Map<string, string>();
    const ids = new Map<string, string>();

    beforeAll(async () => {
      otp = fixture.otp({ devices: [totp({ issuer: 'otpkit-passport' })] });
      await otp.migrate();
      await createUsersTable(fixture.database.knex);
      for (const name of ['ana', 'ben']) {
        const id = await addUser(fixture.database.knex, name, `${name}-password`);
        ids.set(name, String(id));
        const device = (await otp.createDevice('totp', id, { name: 'Phone', confirmed: true })) as TOTPDevice;
        secrets.set(name, new URL(await device.keyUri()).searchParams.get('secret')!);
      }
      ids.set('cy', String(await addUser(fixture.database.knex, 'cy', 'cy-password')));
      const app = passportApp({ otp, authenticate: passwordAuthenticator(fixture.database.knex), sessionSecret: 'example-session-secret-example-session-secret' });
      server = await serveApp(app);
    });
    afterAll(() => server.close());

    /** Signs in through the app's Passport route; the redirect it answers. */
    async function passportLogin(client: HttpClient, username: string, password = `${username}-password`): Promise<string | null> {
      const form = await (await client.request('/login')).text();
      const answer = await client.request('/login', { form: { _csrf: csrfOf(form), username, password } });
      expect([302, 303]).toContain(answer.status); // Passport's failureRedirect answers 302
      return answer.headers.get('location');
    }

    /** Types the user's current TOTP code (computed by oathtool) on otpkit's token page. */
    async function verify(client: HttpClient, username: string): Promise<string | null> {
      fixture.clock.advanceSeconds(30);
      const page = await (await client.request('/account/verify?next=%2Fdashboard')).text();
      const answer = await client.request('/account/verify', { form: { _csrf: csrfOf(page), next: '/dashboard', otp_token: oathtoolTotp(secrets.get(username)!, fixture.clock.now()) } });
      return answer.headers.get('location');
    }


    /** A client signed in through Passport as `username` and verified with its code. */
    async function verifiedClient(username: string): Promise<HttpClient> {
      const client = new HttpClient(server.url);
      await passportLogin(client, username);
      expect(await verify(client, username)).toBe('/dashboard');
      expect((await client.getJson('/dashboard')).body).toMatchObject({ user: ids.get(username), verified: true });
      return client;
    }

    it('refuses a password-only Passport session on a protected route, and lets it pass once the token is verified', async () => {
      const client = new HttpClient(server.url);
      expect(await passportLogin(client, 'ana', 'wrong')).toBe('/login');
      expect((await client.getJson('/dashboard')).status).toBe(401);
      expect(await passportLogin(client, 'ana')).toBe('/account/verify?next=%2Fdashboard');
      const refused = await client.getJson('/dashboard');
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('verification_required');
      expect((await client.request('/dashboard', { headers: { accept: 'text/html' } })).headers.get('location')).toBe('/account/login?next=%2Fdashboard');
      expect(await verify(client, 'ana')).toBe('/dashboard');
      // The verification gave the session a new id and kept Passport's user in it.
      expect((await client.getJson('/dashboard')).body).toEqual({ page: 'dashboard', user: ids.get('ana'), verified: true });
    });

    it('logout and login as another user does not inherit the verification', async () => {
      const client = await verifiedClient('ana');
      const logout = await client.request('/logout', { method: 'POST' });
      expect(logout.headers.get('location')).toBe('/login');
      expect((await client.getJson('/dashboard')).status).toBe(401);
      expect(await passportLogin(client, 'ben')).toBe('/account/verify?next=%2Fdashboard');
      const ben = await client.getJson('/dashboard');
      expect(ben.status).toBe(403);
      expect(ben.body.error.code).toBe('verification_required');
      expect(await verify(client, 'ben')).toBe('/dashboard');
      expect((await client.getJson('/dashboard')).body.user).toBe(ids.get('ben'));
    });

    it('login as another user without logging out does not inherit the verification either (Passport gives the session a new id)', async () => {
      const client = await verifiedClient('ana');
      expect(await passportLogin(client, 'ben')).toBe('/account/verify?next=%2Fdashboard');
      expect((await client.getJson('/dashboard')).status).toBe(403);
    });

    it("session fixation around Passport's login and the verification: a planted session id and the one between password and code never become the verified session", async () => {
      const attacker = new HttpClient(server.url);
      await passportLogin(attacker, 'ben');
      const victim = new HttpClient(server.url);
      for (const [name, value] of attacker.cookies) victim.cookies.set(name, value);
      const planted = new Map(victim.cookies);
      expect(await passportLogin(victim, 'ana')).toBe('/account/verify?next=%2Fdashboard');
      const beforeCode = new Map(victim.cookies);
      expect(beforeCode.get('connect.sid')).not.toBe(planted.get('connect.sid'));
      expect(await verify(victim, 'ana')).toBe('/dashboard');
      expect(victim.cookies.get('connect.sid')).not.toBe(beforeCode.get('connect.sid'));
      expect((await victim.getJson('/dashboard')).body).toMatchObject({ user: ids.get('ana'), verified: true });
      for (const stale of [planted, beforeCode]) {
        const replay = new HttpClient(server.url);
        for (const [name, value] of stale) replay.cookies.set(name, value);
        expect((await replay.getJson('/dashboard')).status).toBe(401);
      }
    });

    it("signs in on otpkit's own login page through Passport, then the token", async () => {
      const client = new HttpClient(server.url);
      const form = await (await client.request('/account/login?next=%2Fdashboard')).text();
      const answer = await client.request('/account/login', { form: { _csrf: csrfOf(form), username: 'ben', password: 'ben-password', next: '/dashboard' } });
      expect(answer.headers.get('location')).toBe('/account/verify?next=%2Fdashboard');
      expect((await client.getJson('/dashboard')).status).toBe(403);
      expect(await verify(client, 'ben')).toBe('/dashboard');
      expect((await client.getJson('/dashboard')).body.user).toBe(ids.get('ben'));
    });

    it("otpkit's logout signs out of Passport too", async () => {
      const client = await verifiedClient('ana');
      const page = await (await client.request('/account/verify')).text();
      await client.request('/account/logout', { form: { _csrf: csrfOf(page) } });
      expect((await client.getJson('/dashboard')).status).toBe(401);
    });

    it('lets a user without a device in with the password alone (ifConfigured)', async () => {
      const client = new HttpClient(server.url);
      expect(await passportLogin(client, 'cy')).toBe('/dashboard');
      expect((await client.getJson('/dashboard')).body).toEqual({ page: 'dashboard', user: ids.get('cy'), verified: false });
    });
  });
});

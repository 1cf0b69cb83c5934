import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Otp } from '@otpkit/core';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { startSmtpSink, type SmtpSink } from '../../packages/email/src/test-support/smtp-sink.js';
import { enrolWithTheApi } from '../../packages/express/src/examples/api-client.js';
import { exampleApp } from '../../packages/express/src/examples/app.js';
import { recordEvents } from '../../packages/core/src/test-support/recorded-events.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { oathtoolTotp } from './support/oathtool.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { pluginOtp } from './support/plugin-otp.js';
import { RecordingSmsProvider } from './support/recording-sms.js';
import { addUser, createUsersTable, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { haveTools } from '../support/external-tools.js';

describe.runIf(haveTools('oathtool'))('with oathtool', () => {
  describeOnBackends('docs/express.md example app', (fixture) => {
    let otp: Otp;
    let smtp: SmtpSink;
    let url: string;
    let close: () => void;
    const { events, hooks } = recordEvents();

    beforeAll(async () => {
      smtp = await startSmtpSink();
      otp = await pluginOtp(fixture, smtp.url, new RecordingSmsProvider(), hooks);
      await createUsersTable(fixture.database.knex);
      await addUser(fixture.database.knex, 'carol', 'carol-password');
      const app = exampleApp({
        otp,
        authenticate: passwordAuthenticator(fixture.database.knex),
        sessionSecret: 'example-session-secret-example-session-secret',
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => {
        server.closeAllConnections();
        server.close();
      };
    });
    afterAll(async () => {
      close();
      await smtp.close();
    });

    it('guards pages, logs in, enrols TOTP and backup codes through the API, and asks for step-up', async () => {
      const client = new HttpClient(url);
      expect((await client.getJson('/billing')).status).toBe(401);
      const redirect = await client.request('/billing', { headers: { accept: 'text/html' } });
      expect(redirect.headers.get('location')).toBe('/account/login?next=%2Fbilling');

      const loginPage = await (await client.request('/account/login?next=/billing')).text();
      const login = await client.request('/account/login', { form: { _csrf: csrfOf(loginPage), username: 'carol', password: 'carol-password', next: '/billing' } });
      expect(login.headers.get('location')).toBe('/billing');
      expect((await client.getJson('/dashboard')).body).toEqual({ page: 'dashboard', verified: false });
      expect((await client.getJson('/billing')).body.error.code).toBe('verification_required');

      const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const result = await enrolWithTheApi(url, cookie, async (otpauthUri) => {
        fixture.clock.advanceSeconds(30);
        return oathtoolTotp(new URL(otpauthUri).searchParams.get('secret')!, fixture.clock.now());
      });
      expect(result.confirmed).toBe(true);
      expect(result.codes).toHaveLength(10);
      expect(result.wrong.status).toBe(400);
      expect(result.devices.map((d: { type: string }) => d.type)).toEqual(['totp', 'static']);
      expect(JSON.stringify(result.devices)).not.toContain(result.secret.replace(/ /g, ''));
      expect(result.cookie).not.toBe(cookie);
      expect(events.map((event) => `${event.type} ${event.via}`)).toEqual(['deviceAdded api', 'deviceConfirmed api', 'deviceAdded api', 'failed api']);

      const verified = new HttpClient(url);
      const at = result.cookie.indexOf('=');
      verified.cookies.set(result.cookie.slice(0, at), result.cookie.slice(at + 1));
      expect((await verified.getJson('/billing')).body).toMatchObject({ page: 'billing', device: expect.stringMatching(/^totp\//) });
      expect((await verified.sendJson('/billing/delete-account', {})).body).toEqual({ deleted: true });
      fixture.clock.advanceSeconds(301);
      expect((await verified.sendJson('/billing/delete-account', {})).body.error.code).toBe('recent_verification_required');
      expect((await verified.getJson('/billing')).status).toBe(200);
    });
  });
});

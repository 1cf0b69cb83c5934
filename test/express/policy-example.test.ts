import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { startSmtpSink, type SmtpSink } from '../../packages/email/src/test-support/smtp-sink.js';
import { policyApp } from '../../packages/express/src/examples/policy.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { addUser, createUsersTable, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { pluginOtp } from './support/plugin-otp.js';
import { RecordingSmsProvider } from './support/recording-sms.js';

const DAY_MS = 86_400_000;

describeOnBackends('docs/express.md policy example', (fixture) => {
  let smtp: SmtpSink;
  let url: string;
  let close: () => void;
  const admins = new Set<string>();

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const otp = await pluginOtp(fixture, smtp.url, new RecordingSmsProvider());
    await createUsersTable(fixture.database.knex);
    admins.add(String(await addUser(fixture.database.knex, 'ada', 'ada-password')));
    await addUser(fixture.database.knex, 'bo', 'bo-password');
    const app = policyApp({
      otp,
      authenticate: passwordAuthenticator(fixture.database.knex),
      isAdmin: async (userId) => admins.has(userId),
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

  async function signIn(username: string): Promise<{ client: HttpClient; location: string | null }> {
    const client = new HttpClient(url);
    const form = await (await client.request('/account/login')).text();
    const answer = await client.request('/account/login', { form: { _csrf: csrfOf(form), username, password: `${username}-password`, next: '/admin' } });
    return { client, location: answer.headers.get('location') };
  }

  it('sends an administrator to enrol after the password, lets them wait 14 days, then requires it', async () => {
    const { client, location } = await signIn('ada');
    expect(location).toBe('/account/enrol?next=%2Fadmin');
    const home = await client.getJson('/');
    expect(home.body).toEqual({ page: 'home', required: true, satisfied: false, enrolmentDue: fixture.clock.now() + 14 * DAY_MS });
    expect((await client.getJson('/admin')).body).toEqual({ page: 'admin', verified: false });
    fixture.clock.advanceSeconds(14 * 86_400);
    expect((await client.getJson('/admin')).body.error.code).toBe('enrolment_required');
    expect((await client.request('/admin', { headers: { accept: 'text/html' } })).headers.get('location')).toBe('/account/enrol?next=%2Fadmin');
  });

  it('never forces anyone else', async () => {
    const { client, location } = await signIn('bo');
    expect(location).toBe('/admin');
    fixture.clock.advanceSeconds(365 * 86_400);
    expect((await client.getJson('/')).body).toEqual({ page: 'home', required: false, satisfied: false, enrolmentDue: null });
    expect((await client.getJson('/admin')).body.error.code).toBe('verification_required');
  });
});

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { addUser, createUsersTable, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { passkeyApp } from '../../packages/webauthn/src/examples/passkey-app.js';
import { SoftAuthenticator } from '../../packages/webauthn/src/test-support/soft-authenticator.js';

describeOnBackends('docs/webauthn.md example app', (fixture) => {
  let server: Server;
  let url: string;
  let userId: number;

  beforeAll(async () => {
    await createUsersTable(fixture.database.knex);
    userId = await addUser(fixture.database.knex, 'dana', 'dana-password');
    const { app } = await passkeyApp({
      knex: fixture.database.knex,
      authenticate: passwordAuthenticator(fixture.database.knex),
      sessionSecret: 'example-session-secret-example-session-secret',
      clock: fixture.clock.now,
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });

  /** Signs in with the password through the login views: a user without a device is logged in at once. */
  async function passwordSession(): Promise<HttpClient> {
    const client = new HttpClient(url);
    const page = await (await client.request('/account/login')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const answer = await client.request('/account/login', { form: { _csrf: csrf, username: 'dana', password: 'dana-password', next: '/settings' } });
    expect(answer.status).toBe(303);
    return client;
  }

  it('adds a passkey through the API, then signs in with it alone, both factors at once', async () => {
    const authenticator = new SoftAuthenticator();
    const client = await passwordSession();
    const enrolled = await client.sendJson('/api/2fa/devices/webauthn', { name: 'Laptop' });
    expect(enrolled.status).toBe(201);
    const confirmed = await client.sendJson(`/api/2fa/devices/${enrolled.body.device.id}/confirm`, { token: authenticator.register(enrolled.body.publicKey) });
    expect(confirmed.status).toBe(200);

    const phone = new HttpClient(url);
    const { request } = (await phone.sendJson('/api/2fa/passkey/options', {})).body;
    const signedIn = await phone.sendJson('/api/2fa/passkey/verify', { credential: authenticator.assert(request) });
    expect(signedIn.body).toMatchObject({ verified: true, userId: String(userId) });
    expect((await phone.getJson('/settings')).body).toEqual({ user: String(userId), method: 'passkey', userVerified: true });
  });
});

/**
 * The JSON API's passkey sign-in bound its ceremonies to the session: every anonymous
 * `POST /passkey/options` (and every refused `POST /passkey/verify`) put a binding in a fresh
 * session, which express-session then saved, so bots grew the session store without ever signing
 * in, for as long as a session lives. The ceremonies are now bound to the browser's session-free
 * cookie (as the login page's are); a session is made only when a passkey signs someone in.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PasskeySignIn } from '@otpkit/webauthn';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { SoftAuthenticator } from '../../packages/webauthn/src/test-support/soft-authenticator.js';
import { describeOnBackends } from './support/backends.js';
import { registerOverApi, relyingParty } from './support/passkeys.js';

const devices = [relyingParty()];

describeOnBackends('anonymous passkey sign-in calls', { devices }, (fixture) => {
  let server: TestServer;
  beforeAll(async () => {
    const otp = fixture.otp({ devices });
    await createUsersTable(fixture.database.knex);
    server = await startOtpApp(otp, fixture.database.knex, undefined, {}, { passkeySignIn: new PasskeySignIn(otp) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('passkey options flood: anonymous options and refused answers create no session', async () => {
    const stranger = new SoftAuthenticator();
    stranger.createCredential('acme.example', 'c3RyYW5nZXI');
    for (let bot = 0; bot < 20; bot += 1) {
      const client = new ApiClient(server.url);
      const options = await client.post('/passkey/options');
      expect(options.status).toBe(200);
      const refused = await client.post('/passkey/verify', { credential: stranger.assert(options.body.request) });
      expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_token']);
      expect(client.http.sessionId).toBeUndefined();
    }
  });

  it('the browser that asked still signs in (and only then gets a session); another browser with its answer does not', async () => {
    const userId = await addUser(fixture.database.knex, 'flood-passkey-owner', 'password');
    const authenticator = new SoftAuthenticator();
    const id = await registerOverApi(await ApiClient.loggedIn(server.url, userId), authenticator);
    const browser = new ApiClient(server.url);
    const assertion = authenticator.assert((await browser.post('/passkey/options')).body.request);
    const thief = new ApiClient(server.url);
    await thief.post('/passkey/options');
    expect((await thief.post('/passkey/verify', { credential: assertion })).body.error.code).toBe('invalid_token');
    expect(thief.http.sessionId).toBeUndefined();
    expect((await browser.post('/passkey/verify', { credential: assertion })).status).toBe(200);
    expect(browser.http.sessionId).toBeDefined();
    expect(await browser.whoami()).toEqual({ userId: String(userId), verified: true, device: id });
  });
});

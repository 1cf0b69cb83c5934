/**
 * The JSON API's passkey sign-in bound its ceremonies to the session: every anonymous
 * `POST /passkey/options` (and every refused `POST /passkey/verify`) put a binding in a fresh
 * session, which express-session then saved, so bots grew the session store without ever signing
 * in, for as long as a session lives. The ceremonies are now bound to the browser's session-free
 * cookie (as the login page's are); a session is made only when a passkey signs someone in.
 *
 * Each anonymous start (an options call, a view of the login page) still stores one ceremony row:
 * that is the price of a challenge any process can check. It is bounded by time, not by account:
 * no row outlives `challengeSeconds`, and every start deletes the expired ones.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { otpLoginRouter } from '@otpkit/express';
import { PASSKEY_CEREMONY_TABLE, PasskeySignIn } from '@otpkit/webauthn';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { SoftAuthenticator } from '../../packages/webauthn/src/test-support/soft-authenticator.js';
import { describeOnBackends } from './support/backends.js';
import { registerOverApi, relyingParty } from './support/passkeys.js';

const devices = [relyingParty()];
/** The webauthn plugin's default challenge lifetime. */
const CHALLENGE_SECONDS = 300;

describeOnBackends('anonymous passkey sign-in calls', { devices }, (fixture) => {
  let server: TestServer;
  beforeAll(async () => {
    const otp = fixture.otp({ devices });
    await createUsersTable(fixture.database.knex);
    const passkeySignIn = new PasskeySignIn(otp);
    server = await startOtpApp(
      otp,
      fixture.database.knex,
      (app) => app.use('/pk', otpLoginRouter(otp, { authenticate: passwordAuthenticator(fixture.database.knex), passkeySignIn })),
      {},
      { passkeySignIn },
    );
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

  it('login page flood: one ceremony row a view, none outlives challengeSeconds', async () => {
    const pending = async () => Number((await fixture.database.knex(PASSKEY_CEREMONY_TABLE).count({ rows: '*' }))[0]!.rows);
    fixture.clock.advanceSeconds(CHALLENGE_SECONDS);
    await new HttpClient(server.url).request('/pk/login');
    expect(await pending()).toBe(1);
    for (let bot = 0; bot < 30; bot += 1) expect((await new HttpClient(server.url).request('/pk/login')).status).toBe(200);
    expect(await pending()).toBe(31);
    fixture.clock.advanceSeconds(CHALLENGE_SECONDS);
    await new HttpClient(server.url).request('/pk/login');
    expect(await pending()).toBe(1);
  });
});

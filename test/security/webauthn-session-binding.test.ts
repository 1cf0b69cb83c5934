/**
 * An attacker who knows the victim's password (so has a session of the victim's account, not
 * verified) and captured one of the victim's WebAuthn answers before it was used tries every way
 * to have it accepted in their own session: the wrapped form `{ credential, session }` with a
 * session value of their choosing, the match path (no device named), the login views'
 * `otp_credential` field, and an enrolment input naming its own session. Every challenge otpkit's
 * routes issue is bound to the session that asked, and the answer to it is checked with the
 * binding of the session that answers, never with a value the client sent.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Otp } from '@otpkit/core';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { SoftAuthenticator } from '../../packages/webauthn/src/test-support/soft-authenticator.js';
import { describeOnBackends } from './support/backends.js';
import { registerOverApi, relyingParty } from './support/passkeys.js';

const devices = [relyingParty()];

describeOnBackends('WebAuthn answers stay in the session that asked', { devices }, (fixture) => {
  let otp: Otp;
  let server: TestServer;
  let users = 0;
  beforeAll(async () => {
    otp = fixture.otp({ devices });
    await createUsersTable(fixture.database.knex);
    server = await startOtpApp(otp, fixture.database.knex);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A victim with a registered security key, a verified session of theirs, and an answer to a challenge it asked for (captured, not yet used). */
  async function capturedAnswer(): Promise<{ userId: number; username: string; id: string; victim: ApiClient; assertion: AuthenticationResponseJSON }> {
    const username = `binding-victim-${++users}`;
    const userId = await addUser(fixture.database.knex, username, 'password');
    const authenticator = new SoftAuthenticator();
    const id = await registerOverApi(await ApiClient.loggedIn(server.url, userId), authenticator);
    const victim = await ApiClient.loggedIn(server.url, userId);
    const assertion = authenticator.assert((await victim.post('/challenge', { device: id })).body.request);
    return { userId, username, id, victim, assertion };
  }

  it('wrapped token with a session of the attacker\'s choosing ({ credential, session }): refused, named device or match', async () => {
    const { userId, id, victim, assertion } = await capturedAnswer();
    const attacker = await ApiClient.loggedIn(server.url, userId);
    for (const session of ['', 'guess', 'A'.repeat(43)]) {
      for (const body of [{ device: id, token: { credential: assertion, session } }, { token: { credential: assertion, session } }, { token: assertion }]) {
        const answer = await attacker.post('/validate', body);
        expect([answer.status, answer.body.error.code]).toEqual([400, expect.stringMatching(/^(invalid_token|malformed_token)$/)]);
      }
    }
    expect(await attacker.whoami()).toMatchObject({ verified: false });
    expect((await victim.post('/validate', { device: id, token: assertion })).status).toBe(200);
  });

  it("captured answer posted as otp_credential on another session's token page: refused", async () => {
    const { username, id, victim, assertion } = await capturedAnswer();
    const attacker = new HttpClient(server.url);
    const login = await (await attacker.request('/account/login')).text();
    expect((await attacker.request('/account/login', { form: { _csrf: csrfOf(login), username, password: 'password' } })).status).toBe(303);
    const verifyPage = await (await attacker.request('/account/verify')).text();
    for (const device of [id, '']) {
      const answer = await attacker.request('/account/verify', { form: { _csrf: csrfOf(verifyPage), otp_device: device, otp_credential: JSON.stringify(assertion) } });
      expect(answer.status).toBe(400);
    }
    expect((await attacker.getJson('/whoami')).body).toMatchObject({ verified: false });
    expect((await victim.post('/validate', { device: id, token: assertion })).status).toBe(200);
  });

  it('enrolment input naming its own session (POST /devices/webauthn { session }): refused, nothing enrolled', async () => {
    const userId = await addUser(fixture.database.knex, `binding-enrol-${++users}`, 'password');
    const client = await ApiClient.loggedIn(server.url, userId);
    const answer = await client.post('/devices/webauthn', { session: 'chosen-by-the-client' });
    expect([answer.status, answer.body.error.code, answer.body.error.detail]).toEqual([400, 'invalid_request', 'Invalid fields: session']);
    expect(await otp.devicesForUser(userId)).toEqual([]);
  });
});

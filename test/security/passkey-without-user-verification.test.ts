/**
 * `@otpkit/express` takes any passkey sign-in flow of the `PasskeySignInFlow` shape, whose outcome
 * says whether the authenticator verified the user. The login routes ignored that flag: a flow
 * that accepted a mere touch of a security key (`userVerified: false`, one factor: something the
 * user has) left the session verified with method `passkey`, both factors at once, and recent
 * enough to change the account's factors. Such a sign-in is now refused and changes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Otp } from '@otpkit/core';
import { otpLoginRouter, type PasskeySignInFlow } from '@otpkit/express';
import type { WebAuthnDevice } from '@otpkit/webauthn';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { SoftAuthenticator } from '../../packages/webauthn/src/test-support/soft-authenticator.js';
import { describeOnBackends } from './support/backends.js';
import { registerOverApi, relyingParty } from './support/passkeys.js';

const devices = [relyingParty({ userVerification: 'discouraged' })];

/** The one user and security key a kiosk signs in. */
interface KioskKey {
  userId: string;
  deviceId: string;
}

/**
 * A site's own sign-in flow: a kiosk signs its one user in with their security key, a touch
 * without PIN (presence only), through the second-factor challenge of the key and `otp.verify`.
 * It reports honestly that the authenticator did not verify the user.
 */
function kioskSignIn(otp: Otp, key: KioskKey): PasskeySignInFlow {
  return {
    type: 'webauthn',
    async start({ session }) {
      const outcome = await otp.generateChallenge(key.userId, key.deviceId, session === undefined ? {} : { session });
      if (!outcome.ok || outcome.request === undefined) throw new Error('the kiosk key gives no challenge');
      return { request: outcome.request, validUntil: outcome.validUntil };
    },
    async finish(token, { session }) {
      const outcome = await otp.verify(key.userId, key.deviceId, { credential: token, session });
      if (!outcome.ok) return { ok: false, reason: 'invalid_token' };
      const device = outcome.device as unknown as WebAuthnDevice;
      return { ok: true, userId: key.userId, device, userVerified: device.userVerified };
    },
  };
}

/** The request options a login page offers its passkey form (`data-otpkit-options`). */
function passkeyOptionsOf(page: string) {
  const attribute = /data-otpkit-webauthn="passkey"[^>]*data-otpkit-options="([^"]*)"/.exec(page);
  if (attribute === null) throw new Error('the page offers no passkey sign-in');
  return JSON.parse(attribute[1]!.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'));
}

describeOnBackends('a passkey sign-in without user verification', { devices }, (fixture) => {
  const key: KioskKey = { userId: '', deviceId: '' };
  const authenticator = new SoftAuthenticator({ userVerification: false });
  let server: TestServer;
  beforeAll(async () => {
    const otp = fixture.otp({ devices });
    await createUsersTable(fixture.database.knex);
    const kiosk = kioskSignIn(otp, key);
    server = await startOtpApp(
      otp,
      fixture.database.knex,
      (app) => app.use('/kiosk', otpLoginRouter(otp, { authenticate: passwordAuthenticator(fixture.database.knex), passkeySignIn: kiosk })),
      {},
      { passkeySignIn: kiosk },
    );
    const userId = await addUser(fixture.database.knex, 'kiosk-user', 'password');
    key.userId = String(userId);
    key.deviceId = await registerOverApi(await ApiClient.loggedIn(server.url, userId), authenticator);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('presence-only passkey over the JSON API: refused, the session neither signed in nor verified', async () => {
    const browser = new ApiClient(server.url);
    const options = await browser.post('/passkey/options');
    const answer = await browser.post('/passkey/verify', { credential: authenticator.assert(options.body.request) });
    expect([answer.status, answer.body.error?.code]).toEqual([400, 'invalid_token']);
    expect(await browser.whoami()).toEqual({ userId: null, verified: false, device: null });
  });

  it('presence-only passkey on the login page: refused, the session neither signed in nor verified', async () => {
    const browser = new HttpClient(server.url);
    const page = await (await browser.request('/kiosk/login')).text();
    const credential = JSON.stringify(authenticator.assert(passkeyOptionsOf(page)));
    const answer = await browser.request('/kiosk/login/passkey', { form: { _csrf: csrfOf(page), credential, next: '/protected' } });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('That passkey could not sign you in');
    expect((await browser.getJson('/whoami')).body).toEqual({ userId: null, verified: false, device: null });
  });
});

import { expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { usePluginApp, type PluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from './support/backends.js';
import { userWithBackupCodes, userWithoutDevice } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];
let phones = 0;

/** A confirmed SMS phone of the user for passwordless sign-in only, and a sign-in code texted to it (as a sign-in flow sends one). */
async function loginPhoneWithCode(app: PluginApp, userId: number): Promise<{ id: string; code: string; number: string }> {
  phones += 1;
  const number = `+1415555${String(1000 + phones).padStart(4, '0')}`;
  const phone = await app.otp.createDevice('sms', userId, { number, confirmed: true, purpose: 'login' });
  expect(await app.otp.generateChallenge(userId, phone.persistentId)).toMatchObject({ ok: true });
  return { id: phone.persistentId, code: app.sms.lastCodeTo(number), number };
}

/** A browser signed in with the password through the login views; where the password step sent it. */
async function passwordLogin(app: PluginApp, username: string): Promise<{ browser: HttpClient; location: string | null }> {
  const browser = new HttpClient(app.server.url);
  const login = await (await browser.request('/account/login?next=/protected')).text();
  const answer = await browser.request('/account/login', { form: { _csrf: csrfOf(login), username, password: 'password', next: '/protected' } });
  expect(answer.status).toBe(303);
  return { browser, location: answer.headers.get('location') };
}

describeOnBackends('a device has a purpose', { devices }, (fixture) => {
  const app = usePluginApp(fixture);

  it("login-only phone is not silently a second factor: the API's challenge and validate refuse it; verifyLogin accepts its code", async () => {
    const { userId } = await userWithBackupCodes(app);
    const phone = await loginPhoneWithCode(app, userId);
    const client = await ApiClient.loggedIn(app.server.url, userId);
    const texts = app.sms.sent.length;
    expect(await client.post('/challenge', { device: phone.id })).toMatchObject({ status: 404, body: { error: { code: 'device_not_found' } } });
    expect(app.sms.sent.length).toBe(texts);
    expect(await client.post('/validate', { token: phone.code, device: phone.id })).toMatchObject({ status: 404, body: { error: { code: 'device_not_found' } } });
    expect(await client.post('/validate', { token: phone.code })).toMatchObject({ status: 400, body: { error: { code: 'invalid_token' } } });
    expect((await client.whoami()).verified).toBe(false);
    fixture.clock.advanceSeconds(60);
    expect(await app.otp.verifyLogin(userId, phone.id, phone.code)).toMatchObject({ ok: true, device: { persistentId: phone.id } });
  });

  it('login-only phone is not silently a second factor: the login views neither offer it nor accept its code', async () => {
    const { userId, username } = await userWithBackupCodes(app);
    const phone = await loginPhoneWithCode(app, userId);
    const { browser, location } = await passwordLogin(app, username);
    expect(location).toBe('/account/verify?next=%2Fprotected');
    const page = await (await browser.request('/account/verify')).text();
    expect(page).not.toContain(phone.id);
    const forms: Record<string, string>[] = [{ otp_device: phone.id, otp_token: phone.code }, { otp_token: phone.code }];
    for (const form of forms) {
      const verifyPage = await (await browser.request('/account/verify')).text();
      const answer = await browser.request('/account/verify', { form: { _csrf: csrfOf(verifyPage), next: '/protected', ...form } });
      expect(answer.status).toBe(400);
      fixture.clock.advanceSeconds(60);
    }
    expect((await browser.request('/protected')).status).toBe(303);
  });

  it("a user whose only device signs in has no second factor: the password step asks for none, and a sign-in code still can't verify the session", async () => {
    const userId = await userWithoutDevice(app);
    const username = String((await app.otp.knex('users').where('id', userId).first('username')).username);
    const phone = await loginPhoneWithCode(app, userId);
    expect(await app.otp.userHasDevice(userId)).toBe(false);
    const { location } = await passwordLogin(app, username);
    expect(location).toBe('/protected');
    const client = await ApiClient.loggedIn(app.server.url, userId);
    expect(await client.post('/validate', { token: phone.code })).toMatchObject({ status: 400, body: { error: { code: 'invalid_token' } } });
  });

  it("a password-only session cannot add a factor to an account whose only device signs in", async () => {
    const userId = await userWithoutDevice(app);
    await loginPhoneWithCode(app, userId);
    const attacker = await ApiClient.loggedIn(app.server.url, userId);
    for (const [path, body] of [['/devices/totp', { purpose: 'login' }], ['/devices/totp', {}], ['/devices/static', {}]] as const) {
      expect(await attacker.post(path, body)).toMatchObject({ status: 403, body: { error: { code: 'verification_required' } } });
    }
    expect(await app.otp.devicesForUser(userId)).toHaveLength(1);
  });

  it('confirming a first login-only device does not verify the session as a second factor', async () => {
    const userId = await userWithoutDevice(app);
    const client = await ApiClient.loggedIn(app.server.url, userId);
    const enrolled = await client.post('/devices/email', { email: `login-${userId}@otpkit.test`, purpose: 'login' });
    expect(enrolled).toMatchObject({ status: 201, body: { device: { purpose: 'login', confirmed: false } } });
    const confirmed = await client.post(`/devices/${enrolled.body.device.id}/confirm`, { token: app.smtp.lastTokenTo(`login-${userId}@otpkit.test`) });
    expect(confirmed).toMatchObject({ status: 200, body: { device: { purpose: 'login', confirmed: true } } });
    expect((await client.whoami()).verified).toBe(false);
  });

  it('enrolment takes a purpose: backup codes for sign-in or an unknown purpose are 400 invalid_request naming it, and nothing is stored', async () => {
    const userId = await userWithoutDevice(app);
    const client = await ApiClient.loggedIn(app.server.url, userId);
    for (const [path, purpose] of [['/devices/static', 'login'], ['/devices/static', 'both'], ['/devices/totp', 'everything'], ['/devices/totp', 7]] as const) {
      const answer = await client.post(path, { purpose });
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', detail: expect.stringContaining('purpose') } } });
    }
    expect(await app.otp.devicesForUser(userId)).toEqual([]);
    expect(await client.post('/devices/totp', { purpose: 'both' })).toMatchObject({ status: 201, body: { device: { purpose: 'both' } } });
  });

  it('the device list shows every device with its purpose', async () => {
    const { userId, codes, backup } = await userWithBackupCodes(app);
    const phone = await loginPhoneWithCode(app, userId);
    const client = await ApiClient.loggedIn(app.server.url, userId);
    expect((await client.post('/validate', { token: codes[0] })).status).toBe(200);
    const listed = await client.get('/devices');
    expect(listed.body.devices.map((device: { id: string; purpose: string }) => [device.id, device.purpose])).toEqual([
      [backup, 'second-factor'],
      [phone.id, 'login'],
    ]);
  });
});

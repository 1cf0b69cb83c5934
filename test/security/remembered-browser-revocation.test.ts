import { expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { usePluginApp, type PluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from './support/backends.js';
import { userWithBackupCodes } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];
const COOKIE = 'otpkit_remember';

/** Verifies a new session of the user with a backup code and "remember this browser"; returns the session and its cookie. */
async function rememberedBrowser(app: PluginApp, userId: number, code: string): Promise<{ client: ApiClient; cookie: string }> {
  const client = await ApiClient.loggedIn(app.server.url, userId);
  expect((await client.post('/validate', { token: code, remember: true })).body.remembered).toBe(true);
  return { client, cookie: client.http.cookies.get(COOKIE)! };
}

/** Whether a new password-only session of the user, presenting `cookie`, comes out verified. */
async function cookieVerifies(app: PluginApp, userId: number, cookie: string): Promise<boolean> {
  const client = await ApiClient.loggedIn(app.server.url, userId);
  client.http.cookies.set(COOKIE, cookie);
  return (await client.whoami()).verified;
}

// 0.1: the remember cookie survived logout, could be revoked only by deleting the device, and
// carried the user id in readable form.
describeOnBackends('remembered browsers can be revoked', { devices }, (fixture) => {
  const app = usePluginApp(fixture);

  it("a forgotten browser's cookie no longer verifies, nor does the session it verified", async () => {
    const { userId, codes } = await userWithBackupCodes(app);
    const { client: owner, cookie } = await rememberedBrowser(app, userId, codes[0]!);
    const elsewhere = await ApiClient.loggedIn(app.server.url, userId);
    elsewhere.http.cookies.set(COOKIE, cookie);
    expect((await elsewhere.whoami()).verified).toBe(true);
    const listed = (await owner.get('/browsers')).body.browsers;
    expect(listed).toHaveLength(1);
    expect((await owner.delete(`/browsers/${listed[0].id}`)).status).toBe(204);
    expect(await cookieVerifies(app, userId, cookie)).toBe(false);
    expect((await elsewhere.whoami()).verified).toBe(false);
  });

  it('logout with forget revokes the browser on the server', async () => {
    const { userId, codes } = await userWithBackupCodes(app);
    const { client, cookie } = await rememberedBrowser(app, userId, codes[0]!);
    const page = await (await client.http.request('/account/verify', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('name="forget" value="1"');
    expect((await client.http.request('/account/logout', { form: { _csrf: csrfOf(page), forget: '1' } })).status).toBe(303);
    expect(client.http.cookies.has(COOKIE)).toBe(false);
    expect(await cookieVerifies(app, userId, cookie)).toBe(false);
    expect(await app.otp.browsers.list(userId)).toEqual([]);
  });

  it('logout without forget keeps the browser remembered', async () => {
    const { userId, codes } = await userWithBackupCodes(app);
    const { client, cookie } = await rememberedBrowser(app, userId, codes[0]!);
    const page = await (await client.http.request('/account/verify', { headers: { accept: 'text/html' } })).text();
    expect((await client.http.request('/account/logout', { form: { _csrf: csrfOf(page) } })).status).toBe(303);
    expect(await cookieVerifies(app, userId, cookie)).toBe(true);
  });

  it('password change revokes all', async () => {
    const { userId, codes } = await userWithBackupCodes(app);
    const first = await rememberedBrowser(app, userId, codes[0]!);
    const second = await rememberedBrowser(app, userId, codes[1]!);
    const other = await userWithBackupCodes(app);
    const bystander = await rememberedBrowser(app, other.userId, other.codes[0]!);
    expect(await app.otp.passwordChanged(userId)).toBe(2);
    expect(await cookieVerifies(app, userId, first.cookie)).toBe(false);
    expect(await cookieVerifies(app, userId, second.cookie)).toBe(false);
    expect(await cookieVerifies(app, other.userId, bystander.cookie)).toBe(true);
  });

  it('an admin revokes one browser or all of a user through otp.browsers', async () => {
    const { userId, codes } = await userWithBackupCodes(app);
    const first = await rememberedBrowser(app, userId, codes[0]!);
    const second = await rememberedBrowser(app, userId, codes[1]!);
    const [newest, oldest] = await app.otp.browsers.list(userId);
    expect(await app.otp.browsers.forget(userId + 1, oldest!.id)).toBe(false);
    expect(await app.otp.browsers.forget(userId, oldest!.id)).toBe(true);
    expect(await cookieVerifies(app, userId, first.cookie)).toBe(false);
    expect(await cookieVerifies(app, userId, second.cookie)).toBe(true);
    expect(newest!.userAgent).toBe('node');
    expect(await app.otp.browsers.forgetAll(userId)).toBe(1);
    expect(await cookieVerifies(app, userId, second.cookie)).toBe(false);
  });

  it('the cookie does not carry the user id, and the table keeps only its digest', async () => {
    const { userId, codes } = await userWithBackupCodes(app);
    const { cookie } = await rememberedBrowser(app, userId, codes[0]!);
    // Only a random 256-bit token: no user id, device or time in readable (or any) form.
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(cookie, 'base64url')).toHaveLength(32);
    const rows = await app.otp.knex('otp_remembered_browser').where('user_id', String(userId));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(cookie);
    expect(rows[0].token_hash).toMatch(/^(sha256|hmac2)\$/); // a digest (keyed when secretKeys are set)
  });

  it('removing the device revokes the browsers it remembered', async () => {
    const { userId, codes, backup } = await userWithBackupCodes(app);
    const { cookie } = await rememberedBrowser(app, userId, codes[0]!);
    await app.otp.createDevice('static', userId, { confirmed: true });
    expect(await app.otp.removeDevice(userId, backup)).toBe(true);
    expect(await app.otp.browsers.list(userId)).toEqual([]);
    expect(await cookieVerifies(app, userId, cookie)).toBe(false);
  });

  it('an expired browser no longer verifies', async () => {
    const { userId, codes } = await userWithBackupCodes(app);
    const { cookie } = await rememberedBrowser(app, userId, codes[0]!);
    fixture.clock.advanceSeconds(30 * 24 * 3600);
    expect(await cookieVerifies(app, userId, cookie)).toBe(false);
    expect(await app.otp.browsers.list(userId)).toEqual([]);
  });
});

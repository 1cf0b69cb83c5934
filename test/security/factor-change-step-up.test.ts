import { expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { usePluginApp, type PluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from './support/backends.js';
import { emailDeviceWithCode, userWithBackupCodes } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];

/** Tries every change to the account's factors; returns each answer's status and code. */
async function tryFactorChanges(app: PluginApp, client: ApiClient, userId: number, backup: string): Promise<string[]> {
  const pending = await emailDeviceWithCode(app, userId, `pending-${userId}@otpkit.test`, false);
  const answers = [
    await client.post('/devices/totp', { name: 'Attacker phone' }),
    await client.post('/devices/email', { email: 'attacker@evil.test' }),
    await client.post(`/devices/${pending.id}/confirm`, { token: pending.code }),
    await client.post('/devices/static'),
    await client.delete(`/devices/${backup}`),
  ];
  return answers.map((answer) => `${answer.status} ${answer.body?.error?.code ?? ''}`.trim());
}

// 0.1: a session verified long ago, or only through a remembered browser, could add a TOTP, add an
// email device at any address and replace the backup codes.
describeOnBackends('changing the factors needs a recent verification', { devices }, (fixture) => {
  const app = usePluginApp(fixture);
  const refused = (code: string) => Array(5).fill(`403 ${code}`);

  it('a password-only session cannot add, confirm, remove or regenerate', async () => {
    const { userId, backup } = await userWithBackupCodes(app);
    const attacker = await ApiClient.loggedIn(app.server.url, userId);
    expect(await tryFactorChanges(app, attacker, userId, backup)).toEqual(refused('verification_required'));
  });

  it('a session verified long ago cannot add, confirm, remove or regenerate', async () => {
    const { userId, codes, backup } = await userWithBackupCodes(app);
    const client = await ApiClient.loggedIn(app.server.url, userId);
    expect((await client.post('/validate', { token: codes[0] })).status).toBe(200);
    fixture.clock.advanceSeconds(301);
    expect(await tryFactorChanges(app, client, userId, backup)).toEqual(refused('recent_verification_required'));
    expect((await app.otp.devicesForUser(userId, { confirmed: true })).map((d) => d.persistentId)).toEqual([backup]);
  });

  it('a session verified through a remembered browser cannot add, confirm, remove or regenerate', async () => {
    const { userId, codes, backup } = await userWithBackupCodes(app);
    const owner = await ApiClient.loggedIn(app.server.url, userId);
    expect((await owner.post('/validate', { token: codes[0], remember: true })).body.remembered).toBe(true);
    const browser = await ApiClient.loggedIn(app.server.url, userId);
    browser.http.cookies.set('otpkit_remember', owner.http.cookies.get('otpkit_remember')!);
    expect((await browser.whoami()).verified).toBe(true);
    expect(await tryFactorChanges(app, browser, userId, backup)).toEqual(refused('recent_verification_required'));
  });

  it('a token typed now allows each change, and each change is reported for a notice', async () => {
    const { userId, codes, backup } = await userWithBackupCodes(app);
    const client = await ApiClient.loggedIn(app.server.url, userId);
    fixture.clock.advanceSeconds(301);
    expect((await client.post('/validate', { token: codes[1] })).status).toBe(200);
    const pending = await emailDeviceWithCode(app, userId, `fresh-${userId}@otpkit.test`, false);
    expect((await client.post('/devices/totp')).status).toBe(201);
    expect((await client.post(`/devices/${pending.id}/confirm`, { token: pending.code })).status).toBe(200);
    expect((await client.post('/devices/static')).status).toBe(201);
    expect((await client.delete(`/devices/${pending.id}`)).status).toBe(204);
    const since = app.events.findIndex((e) => e.userId === String(userId) && e.type === 'verified');
    const reported = app.events.slice(since + 1).filter((e) => e.userId === String(userId) && e.type !== 'challengeSent');
    const totp = reported.find((e) => e.type === 'deviceAdded' && e.via === 'api')!.deviceId;
    expect(reported.map((e) => `${e.type} ${e.deviceId} ${e.via}`)).toEqual([
      `deviceAdded ${pending.id} direct`,
      `deviceAdded ${totp} api`,
      `deviceConfirmed ${pending.id} api`,
      `backupCodesRegenerated ${backup} api`,
      `deviceRemoved ${pending.id} api`,
    ]);
  });
});

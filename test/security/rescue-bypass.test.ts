import { describe, expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { usePluginApp, type PluginApp } from '../express/support/plugin-otp.js';
import type { RescueHelpRequest } from '@otpkit/express';
import { describeOnBackends } from './support/backends.js';
import { emailDeviceWithCode, userWithBackupCodes } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];

const mailsTo = (app: PluginApp, address: string) => app.smtp.messages.filter((message) => message.to.includes(address)).length;
const deviceIds = async (app: PluginApp, userId: number) => (await app.otp.devicesForUser(userId)).map((d) => `${d.persistentId}:${d.confirmed}`);

// 0.1: POST /rescue let a password-only session mail a code to users.email and verify with it, for
// every user, and left a confirmed "Account email" device behind that followed users.email.
describeOnBackends('rescue is not a bypass', { devices }, (fixture) => {
  describe('when rescue is off (the default)', () => {
    const app = usePluginApp(fixture);

    it('a password-only session cannot verify through rescue when rescue is off', async () => {
      const { userId } = await userWithBackupCodes(app, 'off@otpkit.test');
      const before = await deviceIds(app, userId);
      const attacker = await ApiClient.loggedIn(app.server.url, userId);
      expect(await attacker.post('/rescue')).toMatchObject({ status: 404, body: { error: { code: 'rescue_unavailable' } } });
      expect(await attacker.post('/rescue/verify', { token: '123456' })).toMatchObject({ status: 404, body: { error: { code: 'rescue_unavailable' } } });
      expect((await attacker.whoami()).verified).toBe(false);
      expect(mailsTo(app, 'off@otpkit.test')).toBe(0);
      expect(await deviceIds(app, userId)).toEqual(before);
    });
  });

  describe("in mode 'email'", () => {
    const app = usePluginApp(fixture, { api: { rescue: { mode: 'email', noticeSubject: 'Recovery used on your account' } } });

    it('rescue by email sends only to a confirmed address and leaves no device behind', async () => {
      // Only an authenticator (here: backup codes) and an account address: nothing to send to.
      const { userId } = await userWithBackupCodes(app, 'account@otpkit.test');
      const attacker = await ApiClient.loggedIn(app.server.url, userId);
      expect(await attacker.post('/rescue')).toMatchObject({ status: 409, body: { error: { code: 'no_rescue_address' } } });
      // An unconfirmed email device (an attacker's address) and a confirmed one that follows users.email do not count either.
      await emailDeviceWithCode(app, userId, 'attacker@evil.test', false);
      await app.otp.createDevice('email', userId, { confirmed: true });
      const before = await deviceIds(app, userId);
      const mailed = app.smtp.messages.length;
      expect(await attacker.post('/rescue')).toMatchObject({ status: 409, body: { error: { code: 'no_rescue_address' } } });
      expect(app.smtp.messages.length).toBe(mailed);
      expect(await deviceIds(app, userId)).toEqual(before);
      expect((await attacker.whoami()).verified).toBe(false);
    });

    it('rescue mails a notice, never counts as a recent verification and leaves no device behind', async () => {
      const { userId } = await userWithBackupCodes(app, 'changed@otpkit.test');
      const { id } = await emailDeviceWithCode(app, userId, 'owner@otpkit.test', true);
      const before = await deviceIds(app, userId);
      fixture.clock.advanceSeconds(61);
      const client = await ApiClient.loggedIn(app.server.url, userId);
      const started = await client.post('/rescue');
      expect(started).toMatchObject({ status: 202, body: { mode: 'email', device: { id } } });
      expect(mailsTo(app, 'changed@otpkit.test')).toBe(0);
      const done = await client.post('/rescue/verify', { token: app.smtp.lastTokenTo('owner@otpkit.test') });
      expect(done.status).toBe(200);
      expect(await client.whoami()).toMatchObject({ verified: true, device: id });
      const notice = app.smtp.lastTo('owner@otpkit.test');
      expect(notice.raw).toContain('Subject: Recovery used on your account');
      expect(notice.raw).toContain('If this was not you, change your password');
      expect(app.events.filter((e) => e.type === 'rescueUsed' && e.userId === String(userId))).toMatchObject([{ deviceId: id, rescueMode: 'email', via: 'api' }]);
      expect(await deviceIds(app, userId)).toEqual(before);
      // A rescued session may not change the account's factors until a token is typed.
      expect(await client.post('/devices/totp')).toMatchObject({ status: 403, body: { error: { code: 'recent_verification_required' } } });
      expect(await client.post('/devices/static')).toMatchObject({ status: 403 });
    });

    it('a rescue code is checked by core like any token of its device: a wrong guess fails and is counted', async () => {
      const { userId } = await userWithBackupCodes(app);
      await emailDeviceWithCode(app, userId, 'single@otpkit.test', true);
      fixture.clock.advanceSeconds(61);
      const client = await ApiClient.loggedIn(app.server.url, userId);
      expect((await client.post('/rescue')).status).toBe(202);
      const code = app.smtp.lastTokenTo('single@otpkit.test');
      expect((await client.post('/rescue/verify', { token: code === '000000' ? '111111' : '000000' })).body.error).toMatchObject({ code: 'invalid_token', failureCount: 1 });
      expect(app.events.filter((e) => e.type === 'failed' && e.userId === String(userId))).toHaveLength(1);
      fixture.clock.advanceSeconds(2);
      expect((await client.post('/rescue/verify', { token: code })).status).toBe(200);
    });
  });

  describe("in mode 'help'", () => {
    const requests: RescueHelpRequest[] = [];
    const app = usePluginApp(fixture, { api: { rescue: { mode: 'help', notifyAdmins: (request) => void requests.push(request) } } });

    it('help mode verifies nothing: it tells the administrators and reports the request', async () => {
      const { userId } = await userWithBackupCodes(app, 'help@otpkit.test');
      const before = await deviceIds(app, userId);
      const client = await ApiClient.loggedIn(app.server.url, userId);
      expect(await client.post('/rescue')).toMatchObject({ status: 202, body: { mode: 'help' } });
      expect(requests).toMatchObject([{ userId: String(userId), at: fixture.clock.now() }]);
      expect(await client.post('/rescue/verify', { token: '123456' })).toMatchObject({ status: 404, body: { error: { code: 'rescue_unavailable' } } });
      expect((await client.whoami()).verified).toBe(false);
      expect(mailsTo(app, 'help@otpkit.test')).toBe(0);
      expect(await deviceIds(app, userId)).toEqual(before);
      expect(app.events.filter((e) => e.type === 'rescueUsed')).toMatchObject([{ userId: String(userId), deviceId: null, rescueMode: 'help' }]);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { usePluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from './support/backends.js';
import { emailDeviceWithCode, userWithBackupCodes } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];
const COOKIE = 'otpkit_remember';

/** The status of GET /step-up (otpRequired with maxAge 300) as a JSON client sees it. */
const stepUp = async (client: ApiClient) => (await client.http.request('/step-up', { headers: { accept: 'application/json' } })).status;

// otpRequired({ maxAge }) is documented as step-up ("ask for a fresh token"), like
// req.otp.isRecentlyVerified(); it measured only verifiedAt, so a rescue or a remembered browser
// (verifiedAt = when it was remembered) passed a step-up route without any token typed.
describeOnBackends('otpRequired({ maxAge }) is a step-up', { devices }, (fixture) => {
  describe('with rescue by email', () => {
    const app = usePluginApp(fixture, { api: { rescue: { mode: 'email' } } });

    it('a rescued session does not pass otpRequired({ maxAge })', async () => {
      const { userId } = await userWithBackupCodes(app);
      await emailDeviceWithCode(app, userId, 'stepup-rescue@otpkit.test', true);
      fixture.clock.advanceSeconds(61);
      const client = await ApiClient.loggedIn(app.server.url, userId);
      expect((await client.post('/rescue')).status).toBe(202);
      expect((await client.post('/rescue/verify', { token: app.smtp.lastTokenTo('stepup-rescue@otpkit.test') })).status).toBe(200);
      expect((await client.whoami()).verified).toBe(true);
      expect(await stepUp(client)).toBe(403);
    });
  });

  describe('with remembered browsers', () => {
    const app = usePluginApp(fixture);

    it('a session verified by a remember cookie does not pass otpRequired({ maxAge })', async () => {
      const { userId, codes } = await userWithBackupCodes(app);
      const owner = await ApiClient.loggedIn(app.server.url, userId);
      expect((await owner.post('/validate', { token: codes[0], remember: true })).body.remembered).toBe(true);
      expect(await stepUp(owner)).toBe(200);
      // Someone holding the cookie (and the password), a minute later, types no token.
      fixture.clock.advanceSeconds(60);
      const thief = await ApiClient.loggedIn(app.server.url, userId);
      thief.http.cookies.set(COOKIE, owner.http.cookies.get(COOKIE)!);
      expect((await thief.whoami()).verified).toBe(true);
      expect(await stepUp(thief)).toBe(403);
    });
  });
});

import { expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { usePluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from './support/backends.js';
import { emailDeviceWithCode, userWithBackupCodes, userWithoutDevice } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];

// 0.1: POST /devices/:type/:id/confirm needed only a password-only session, so an attacker could
// guess the codes of any unconfirmed device the user had abandoned; a hit verified the session.
describeOnBackends('abandoned enrolments are not open doors', { devices }, (fixture) => {
  const app = usePluginApp(fixture);

  it('guessing the code of an unconfirmed device does not verify a session that has another device', async () => {
    const { userId } = await userWithBackupCodes(app);
    const abandoned = await emailDeviceWithCode(app, userId, 'abandoned@otpkit.test', false);
    const attacker = await ApiClient.loggedIn(app.server.url, userId);
    for (const guess of ['000000', '123456', abandoned.code]) {
      expect(await attacker.post(`/devices/${abandoned.id}/confirm`, { token: guess })).toMatchObject({ status: 403, body: { error: { code: 'verification_required' } } });
    }
    expect((await attacker.whoami()).verified).toBe(false);
    expect((await app.otp.deviceFromPersistentId(abandoned.id))?.confirmed).toBe(false);
  });

  it('a session verified long ago cannot confirm an abandoned enrolment either', async () => {
    const { userId, codes } = await userWithBackupCodes(app);
    const abandoned = await emailDeviceWithCode(app, userId, 'stale@otpkit.test', false);
    const client = await ApiClient.loggedIn(app.server.url, userId);
    expect((await client.post('/validate', { token: codes[0] })).status).toBe(200);
    fixture.clock.advanceSeconds(301);
    expect(await client.post(`/devices/${abandoned.id}/confirm`, { token: abandoned.code })).toMatchObject({ status: 403, body: { error: { code: 'recent_verification_required' } } });
    expect((await app.otp.deviceFromPersistentId(abandoned.id))?.confirmed).toBe(false);
  });

  it("a user's first device still verifies the session that confirms it", async () => {
    const userId = await userWithoutDevice(app);
    const first = await emailDeviceWithCode(app, userId, 'first@otpkit.test', false);
    const client = await ApiClient.loggedIn(app.server.url, userId);
    expect((await client.post(`/devices/${first.id}/confirm`, { token: first.code })).status).toBe(200);
    expect(await client.whoami()).toMatchObject({ verified: true, device: first.id });
  });
});

/**
 * An outsider who does not even know the victim's password, only an account of their own, tried to
 * spend the victim's address's daily send cap (per destination, across all users) by starting email
 * enrolments to that address, so that the victim's own confirmed email device got `daily_limit` for
 * the rest of the day. Enrolment sends and sign-in sends now count apart per destination.
 */
import { expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { usePluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from './support/backends.js';
import { userWithBackupCodes, userWithoutDevice } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];

describeOnBackends("another account cannot spend a victim's destination cap", { devices }, (fixture) => {
  const app = usePluginApp(fixture);

  it("enrolments to the victim's address from another account do not block the victim's login code", async () => {
    const { userId: victim } = await userWithBackupCodes(app);
    const inbox = await app.otp.createDevice('email', victim, { confirmed: true, email: 'dest-victim@otpkit.test' });
    const outsider = await ApiClient.loggedIn(app.server.url, await userWithoutDevice(app));
    for (let round = 0; round < 5; round += 1) {
      expect((await outsider.post('/devices/email', { email: 'dest-victim@otpkit.test' })).status).toBe(201);
      fixture.clock.advanceSeconds(61);
    }
    expect(await app.otp.generateChallenge(victim, inbox.persistentId)).toMatchObject({ ok: true });
  });
});

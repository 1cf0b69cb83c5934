/**
 * An email device set up through the JSON API without an address followed `users.email`: the
 * code confirmed the address of that moment, yet every later code went to whatever `users.email`
 * became. Whoever can change the profile's address (often anyone signed in with the password)
 * could then have the second factor mailed to them. Rescue already refuses `users.email` as
 * unconfirmed; the device now keeps the address its code confirmed.
 */
import { expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { usePluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from './support/backends.js';
import { userWithoutDevice } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];

describeOnBackends('an email device keeps the address it confirmed', { devices }, (fixture) => {
  const app = usePluginApp(fixture);

  it('changing users.email does not redirect the codes of an email device set up without an address', async () => {
    const userId = await userWithoutDevice(app, 'owner-profile@otpkit.test');
    const owner = await ApiClient.loggedIn(app.server.url, userId);
    const setup = await owner.post('/devices/email', {});
    expect(setup.status).toBe(201);
    const id = setup.body.device.id;
    expect((await owner.post(`/devices/${id}/confirm`, { token: app.smtp.lastTokenTo('owner-profile@otpkit.test') })).status).toBe(200);
    // A password-only attacker changes the profile's address (an ordinary account-settings form).
    await app.otp.knex('users').where({ id: userId }).update({ email: 'attacker-profile@evil.test' });
    fixture.clock.advanceSeconds(61);
    const attacker = await ApiClient.loggedIn(app.server.url, userId);
    expect((await attacker.post('/challenge', { device: id })).status).toBe(200);
    expect(app.smtp.messages.filter((message) => message.to.includes('attacker-profile@evil.test'))).toHaveLength(0);
    expect(app.smtp.messages.filter((message) => message.to.includes('owner-profile@otpkit.test'))).toHaveLength(2);
  });
});

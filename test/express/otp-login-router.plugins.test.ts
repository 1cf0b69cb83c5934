import { describe, expect, it } from 'vitest';
import type { TOTPDevice } from '@otpkit/totp';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { oathtoolTotp } from './support/oathtool.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { usePluginApp } from './support/plugin-otp.js';
import { addUser } from '../../packages/express/src/test-support/users.js';
import { haveTools } from '../support/external-tools.js';

describe.runIf(haveTools('oathtool'))('with oathtool', () => {
  describeOnBackends('otpLoginRouter with the TOTP, email and SMS plugins', (fixture) => {
    const app = usePluginApp(fixture);

    /** A user with the given devices, logged in with the password on a fresh client, on the token page. */
    async function onTokenPage(name: string, email: string | null, devices: { type: 'totp' | 'email' | 'sms'; input: Record<string, unknown> }[]) {
      const id = await addUser(fixture.database.knex, name, 'pw', email);
      const created = [];
      for (const { type, input } of devices) created.push(await app.otp.createDevice(type, id, { ...input, confirmed: true }));
      const client = new HttpClient(app.server.url);
      const login = await (await client.request('/account/login')).text();
      await client.request('/account/login', { form: { _csrf: csrfOf(login), username: name, password: 'pw' } });
      const submit = async (form: Record<string, string>) => {
        const page = await (await client.request('/account/verify')).text();
        const response = await client.request('/account/verify', { form: { _csrf: csrfOf(page), ...form } });
        return { status: response.status, location: response.headers.get('location'), text: await response.text() };
      };
      return { client, devices: created, submit };
    }

    it('sends a code by SMS from the chosen device, then says when another may be asked for', async () => {
      const { devices, submit } = await onTokenPage('texter', null, [
        { type: 'sms', input: { number: '+14155550123' } },
        { type: 'email', input: { email: 'texter@otpkit.test' } },
      ]);
      const sent = await submit({ otp_device: devices[0]!.persistentId, otp_challenge: '1' });
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('OTP Challenge: sent by SMS');
      expect(sent.text).toContain(`<input type="hidden" name="otp_device" value="${devices[0]!.persistentId}">\n<label for="otp_token">`);
      fixture.clock.advanceSeconds(20);
      const cooling = await submit({ otp_device: devices[0]!.persistentId, otp_challenge: '1' });
      expect(cooling.status).toBe(429);
      expect(cooling.text).toContain('you can ask for another in 40 second(s)');
      const ambiguous = await submit({ otp_challenge: '1' });
      expect(ambiguous.text).toContain('data-code="not_interactive"');
      const verified = await submit({ otp_device: devices[0]!.persistentId, otp_token: app.sms.lastCodeTo('+14155550123') });
      expect(verified.location).toBe('/');
    });

    it('shows challenge_exception when the code cannot be delivered', async () => {
      const { submit } = await onTokenPage('nomail', null, [{ type: 'email', input: {} }]);
      const failed = await submit({ otp_challenge: '1' });
      expect(failed.status).toBe(502);
      expect(failed.text).toContain('Error generating challenge: The device has no email address');
    });

    it('throttles TOTP guesses with the failure count and the wait from the injected clock', async () => {
      const { devices, submit } = await onTokenPage('guesser', null, [{ type: 'totp', input: {} }]);
      const secret = (devices[0] as TOTPDevice).revealKey();
      const good = oathtoolTotp(secret, fixture.clock.now());
      const bad = good === '000000' ? '111111' : '000000';
      for (let failures = 1; failures <= 3; failures += 1) {
        expect((await submit({ otp_token: bad })).text).toContain('data-code="invalid_token"');
        fixture.clock.advanceSeconds(2 ** (failures - 1));
      }
      const locked = await submit({ otp_token: bad });
      expect(locked.text).toContain('data-code="invalid_token"');
      fixture.clock.advanceSeconds(3);
      const throttled = await submit({ otp_token: oathtoolTotp(secret, fixture.clock.now()) });
      expect(throttled.status).toBe(429);
      expect(throttled.text).toContain('because of 4 failed attempt(s), please try again in 5 second(s).');
    });
  });
});

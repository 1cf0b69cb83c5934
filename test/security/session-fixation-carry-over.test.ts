import { describe, expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { usePluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from './support/backends.js';
import { userWithBackupCodes } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];

/** Routes of the application's own: one that plants a field in the session, one that shows the session's fields. */
function plantAndPeek(app: import('express').Express): void {
  app.post('/plant', (req, res) => {
    (req.session as unknown as Record<string, unknown>).appCsrfSecret = 'planted-by-the-attacker';
    (req.session as unknown as Record<string, unknown>).cart = 'kept';
    res.json({ ok: true });
  });
  app.get('/peek', (req, res) => {
    const { cookie: _cookie, ...fields } = req.session as unknown as Record<string, unknown>;
    res.json(fields);
  });
}

async function formPost(client: HttpClient, path: string, form: Record<string, string>): Promise<Response> {
  const page = await (await client.request(path, { headers: { accept: 'text/html' } })).text();
  return client.request(path, { form: { _csrf: csrfOf(page), ...form } });
}

// 0.1: at verification otpkit copied every session field but `cookie` and `csrfToken` into the new
// session, so an application's CSRF secret planted in a fixated session survived the victim's login.
describeOnBackends('what crosses a session regeneration', { devices }, (fixture) => {
  describe('with the defaults', () => {
    const app = usePluginApp(fixture, { configure: plantAndPeek });

    it("a planted session's CSRF secret does not survive login", async () => {
      const { username, codes } = await userWithBackupCodes(app);
      const attacker = new HttpClient(app.server.url);
      await attacker.request('/plant', { json: {} });
      const planted = attacker.sessionId!;
      // The victim's browser carries the attacker's session cookie (fixation) and signs in.
      const victim = new HttpClient(app.server.url);
      victim.cookies.set('otpkit.sid', planted);
      expect((await formPost(victim, '/account/login', { username, password: 'password' })).status).toBe(303);
      expect((await formPost(victim, '/account/verify', { otp_token: codes[0]! })).status).toBe(303);
      expect(victim.sessionId).not.toBe(planted);
      const fields = (await victim.getJson('/peek')).body;
      expect(fields).not.toHaveProperty('appCsrfSecret');
      expect(fields).not.toHaveProperty('cart');
      expect(fields).toMatchObject({ userId: expect.anything(), otpkit: { method: 'token' } });
      // The attacker's copy of the old id is no longer a session of the victim.
      expect((await attacker.getJson('/whoami')).body).toMatchObject({ userId: null, verified: false });
    });
  });

  describe('with sessionKeys', () => {
    const app = usePluginApp(fixture, { configure: plantAndPeek, middleware: { sessionKeys: ['userId', 'cart'] } });

    it('carries exactly the listed application fields, besides otpkit its own', async () => {
      const { username, codes } = await userWithBackupCodes(app);
      const client = new HttpClient(app.server.url);
      await client.request('/plant', { json: {} });
      await formPost(client, '/account/login', { username, password: 'password' });
      await formPost(client, '/account/verify', { otp_token: codes[0]! });
      const fields = (await client.getJson('/peek')).body;
      expect(fields).toMatchObject({ cart: 'kept', otpkit: { method: 'token' } });
      expect(fields).not.toHaveProperty('appCsrfSecret');
    });
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { generateSigningKey } from '@otpkit/tokens';
import type { SignIn } from '@otpkit/signin';
import { passwordlessApi } from '../../packages/express/src/examples/passwordless-api.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { serveApp, type TestServer } from '../../packages/express/src/test-support/test-server.js';
import { signInFixture } from '../../packages/signin/src/test-support/signin-fixture.js';

describeOnEachBackend('the Express example of docs/passwordless.md', (block) => {
  const fixture = signInFixture(block);
  let server: TestServer;
  let signIn: SignIn;

  beforeAll(async () => {
    const made = await passwordlessApi({ otp: fixture.otp, sessionSecret: 'example-session-secret-example-session-secret', signingKey: generateSigningKey('EdDSA', 'k1') });
    signIn = made.signIn;
    server = await serveApp(made.app);
  });
  afterAll(() => server.close());

  /** The API's answer to the browser's refresh, then `GET /api/me` with the new access token. */
  async function me(browser: HttpClient): Promise<unknown> {
    const refreshed = await browser.request('/api/2fa/tokens/refresh', { json: {}, headers: { 'x-csrf-token': browser.cookies.get('__Host-otpkit-csrf')! } });
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    return (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json();
  }

  it('signs in by a texted code into a token session kept in cookies', async () => {
    const { userId, phone } = await fixture.phoneUser();
    const browser = new HttpClient(server.url);
    expect((await browser.sendJson('/api/2fa/signin/start', { phone })).status).toBe(202);
    await signIn.idle();
    const finished = await browser.sendJson('/api/2fa/signin/finish', { phone, code: fixture.twilio.lastTokenTo(phone) });
    expect(finished.body).toMatchObject({ userId, method: 'sms', csrfToken: browser.cookies.get('__Host-otpkit-csrf') });
    expect(await me(browser)).toEqual({ userId, amr: ['sms'], aal: 1 });
  });

  it('signs in by a magic link opened in the browser that asked for it', async () => {
    const { userId, email } = await fixture.emailUser();
    const browser = new HttpClient(server.url);
    expect((await browser.sendJson('/api/2fa/signin/link', { email })).status).toBe(202);
    await signIn.idle();
    const link = new URL(/https:\/\/acme\.example\/api\/2fa\/signin\/link\/[\w-]{43}/.exec(fixture.smtp.lastTo(email).raw)![0]);
    const landed = await browser.request(link.pathname);
    expect([landed.status, landed.headers.get('location')]).toEqual([303, '/']);
    expect(await me(browser)).toEqual({ userId, amr: ['link'], aal: 1 });
  });
});

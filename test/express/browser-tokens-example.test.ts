import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { createTokenSessions, generateSigningKey } from '@otpkit/tokens';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { browserTokensApp, csrfFromCookies, refreshAccessToken } from '../../packages/express/src/examples/browser-tokens.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { serveApp, type TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';

describeOnBackends('docs/tokens.md browser example', (fixture) => {
  let server: TestServer;

  beforeAll(async () => {
    const otp = fixture.otp({ devices: [staticTokens()], secretKeys: { '1': randomBytes(32).toString('hex') } });
    const sessions = createTokenSessions(otp, { issuer: 'https://auth.example.test', audience: 'https://api.example.test', signingKeys: [generateSigningKey('EdDSA', 'k1')] });
    await sessions.migrate();
    await createUsersTable(fixture.database.knex);
    await addUser(fixture.database.knex, 'dana', 'dana-password');
    const app = browserTokensApp({ otp, sessions, checkPassword: passwordAuthenticator(fixture.database.knex), sessionSecret: 'example-session-secret-example-session-secret', secure: false });
    server = await serveApp(app);
  });
  afterAll(() => server.close());

  it('signs in with the cookie, refreshes from the page with the CSRF cookie, and calls the API with the new access token', async () => {
    const browser = new HttpClient(server.url);
    const send = ((path: string, init: RequestInit) => browser.request(path, { method: init.method!, body: init.body as string, headers: init.headers as Record<string, string> })) as typeof fetch;
    const documentCookie = () => [...browser.cookies].filter(([name]) => name === 'otpkit-csrf').map(([name, value]) => `theme=dark; ${name}=${value}`).join('; ');
    expect(await refreshAccessToken(documentCookie(), send)).toBeNull();
    const signedIn = await browser.sendJson('/sign-in', { username: 'dana', password: 'dana-password' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).not.toHaveProperty('refreshToken');
    expect(csrfFromCookies(documentCookie())).toBe(signedIn.body.csrfToken);
    fixture.clock.advanceSeconds(601);
    const accessToken = await refreshAccessToken(documentCookie(), send);
    expect(accessToken).toMatch(/^ey/);
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(await me.json()).toEqual({ userId: expect.any(String) });
    expect((await browser.sendJson('/sign-in', { username: 'dana', password: 'wrong' })).status).toBe(401);
  });
});

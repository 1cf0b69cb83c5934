/**
 * The login views run WebAuthn in the page: a served script, forms carrying the ceremony's options
 * in `data-otpkit-options`, and a passkey sign-in form posted before anyone is signed in. A
 * cross-site attacker tries markup through what those pages echo (a `next` link, a credential's
 * transports, which the browser reports at registration), files other than the plugin's script
 * through the asset route, and a forged passkey sign-in post.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StorageError, type Otp } from '@otpkit/core';
import { otpLoginRouter } from '@otpkit/express';
import { PasskeySignIn } from '@otpkit/webauthn';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { SoftAuthenticator } from '../../packages/webauthn/src/test-support/soft-authenticator.js';
import { describeOnBackends } from './support/backends.js';
import { relyingParty } from './support/passkeys.js';

const devices = [relyingParty()];
const MARKUP = '"><script>alert(1)</script><form action="https://evil.example">';

/** The one script tag a page may have: the plugin's own, from this site. */
const scriptsOf = (page: string) => page.match(/<script[^>]*>/g) ?? [];

/** The JSON of the first `data-otpkit-options` attribute of a page, as the browser reads it. */
function optionsOf(page: string): unknown {
  const attribute = /data-otpkit-options="([^"]*)"/.exec(page);
  if (attribute === null) throw new Error('the page has no ceremony options');
  const entities: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&#96;': '`', '&amp;': '&' };
  return JSON.parse(attribute[1]!.replace(/&(quot|#39|lt|gt|#96|amp);/g, (entity) => entities[entity]!));
}

describeOnBackends('WebAuthn in the login pages', { devices }, (fixture) => {
  let otp: Otp;
  let server: TestServer;
  beforeAll(async () => {
    otp = fixture.otp({ devices });
    await createUsersTable(fixture.database.knex);
    const passkeySignIn = new PasskeySignIn(otp);
    const unavailable = { type: 'webauthn', start: () => Promise.reject(new StorageError()), finish: passkeySignIn.finish.bind(passkeySignIn) };
    server = await startOtpApp(otp, fixture.database.knex, (app) => {
      app.use('/pk', otpLoginRouter(otp, { authenticate: passwordAuthenticator(fixture.database.knex), passkeySignIn }));
      app.use('/pk-down', otpLoginRouter(otp, { authenticate: passwordAuthenticator(fixture.database.knex), passkeySignIn: unavailable }));
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('HTML injection via data-otpkit-options and hidden fields: markup in next and in transports stays text', async () => {
    const userId = await addUser(fixture.database.knex, 'pages-markup', 'password');
    const registrar = await ApiClient.loggedIn(server.url, userId);
    const enrolled = await registrar.post('/devices/webauthn', {});
    const registration = new SoftAuthenticator().register(enrolled.body.publicKey);
    const token = { ...registration, response: { ...registration.response, transports: ['usb', MARKUP] } };
    expect((await registrar.post(`/devices/${enrolled.body.device.id}/confirm`, { token })).status).toBe(200);

    const browser = new HttpClient(server.url);
    const loginPage = await (await browser.request(`/pk/login?next=${encodeURIComponent(`/home${MARKUP}`)}`)).text();
    expect(scriptsOf(loginPage)).toEqual(['<script type="module" src="/pk/assets/webauthn.js">']);
    expect(optionsOf(loginPage)).toMatchObject({ rpId: 'acme.example', allowCredentials: [] });

    const signedIn = await browser.request('/pk/login', { form: { _csrf: csrfOf(loginPage), username: 'pages-markup', password: 'password' } });
    expect(signedIn.status).toBe(303);
    const verify = await (await browser.request(`/pk/verify?next=${encodeURIComponent(`/home${MARKUP}`)}`)).text();
    const challenged = await (await browser.request('/pk/verify', { form: { _csrf: csrfOf(verify), otp_device: enrolled.body.device.id, otp_challenge: '1', next: `/home${MARKUP}` } })).text();
    expect(scriptsOf(challenged)).toEqual(['<script type="module" src="/pk/assets/webauthn.js">']);
    expect(challenged).not.toContain('action="https://evil.example"');
    expect(optionsOf(challenged)).toMatchObject({ allowCredentials: [{ id: expect.any(String), type: 'public-key', transports: ['usb', MARKUP] }] });
  });

  it("asset route path traversal: only the plugin's script is served, nothing else under any spelling", async () => {
    const browser = new HttpClient(server.url);
    const script = await browser.request('/pk/assets/webauthn.js');
    expect([script.status, script.headers.get('content-type'), script.headers.get('x-content-type-options')]).toEqual([200, 'text/javascript; charset=utf-8', 'nosniff']);
    const paths = ['..%2Fpackage.json', '%2e%2e%2f%2e%2e%2fpackage.json', '..%5Cpackage.json', 'webauthn.js%00.map', 'WEBAUTHN.JS', '__proto__', 'constructor', 'static.js', '%2Fetc%2Fpasswd'];
    for (const path of paths) {
      const answer = await browser.request(`/pk/assets/${path}`);
      expect([path, answer.status]).toEqual([path, 404]);
      expect(answer.headers.get('content-type')).not.toContain('javascript');
    }
  });

  it('CSRF on POST /login/passkey: refused without the form cookie, or with another browser token, and no session is made', async () => {
    const attacker = new HttpClient(server.url);
    const attackerToken = csrfOf(await (await attacker.request('/pk/login')).text());
    const victim = new HttpClient(server.url);
    const forged = { _csrf: attackerToken, credential: '{}', next: '/protected' };
    expect((await victim.request('/pk/login/passkey', { form: forged })).status).toBe(403);
    await victim.request('/pk/login');
    expect((await victim.request('/pk/login/passkey', { form: forged })).status).toBe(403);
    expect(victim.sessionId).toBeUndefined();
  });

  it('passkey store down: the login page still offers the password, without the passkey form', async () => {
    await addUser(fixture.database.knex, 'pages-down', 'pages-down-password');
    const browser = new HttpClient(server.url);
    const answer = await browser.request('/pk-down/login');
    expect(answer.status).toBe(200);
    const page = await answer.text();
    expect(page).toContain('name="password"');
    expect(page).not.toContain('data-otpkit-webauthn');
    expect(scriptsOf(page)).toEqual([]);
    const login = await browser.request('/pk-down/login', { form: { _csrf: csrfOf(page), username: 'pages-down', password: 'pages-down-password', next: '/whoami' } });
    expect([login.status, login.headers.get('location')]).toEqual([303, '/whoami']);
  });
});

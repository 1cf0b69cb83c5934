import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Otp } from '@otpkit/core';
import { recordEvents } from '../../core/src/test-support/recorded-events.js';
import { describeOnBackends } from '../../core/src/test-support/backend-fixture.js';
import type { SequenceDevice } from '../../core/src/test-support/sequence-device.js';
import { HttpClient } from './test-support/http-client.js';
import { csrfOf, startOtpApp } from './test-support/otp-app.js';
import type { TestServer } from './test-support/test-server.js';
import { addUser, createUsersTable } from './test-support/users.js';

describeOnBackends('otpLoginRouter', (fixture) => {
  let otp: Otp;
  let server: TestServer;
  const { events, hooks } = recordEvents();

  beforeAll(async () => {
    otp = fixture.otp({ throttleFactor: 1, events: hooks });
    await createUsersTable(fixture.database.knex);
    server = await startOtpApp(otp, fixture.database.knex);
  });
  afterAll(() => server.close());

  async function user(name: string, withDevice = true): Promise<{ id: number; device: SequenceDevice | null }> {
    const id = await addUser(fixture.database.knex, name, `${name}-password`);
    const device = withDevice ? ((await otp.createDevice('sequence', id, { confirmed: true, name: 'Key' })) as SequenceDevice) : null;
    return { id, device };
  }

  async function tokenOf(device: SequenceDevice): Promise<string> {
    return (await otp.deviceFromPersistentId<SequenceDevice>(device.persistentId))!.currentToken();
  }

  async function page(client: HttpClient, path: string): Promise<string> {
    const response = await client.request(path, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    return response.text();
  }

  async function postForm(client: HttpClient, path: string, form: Record<string, string>): Promise<{ status: number; location: string | null; text: string }> {
    const csrf = csrfOf(await page(client, path.replace(/\?.*/, '')));
    const response = await client.request(path, { form: { _csrf: csrf, ...form } });
    return { status: response.status, location: response.headers.get('location'), text: await response.text() };
  }

  it('renders an accessible login page with a CSRF token and no external assets', async () => {
    const client = new HttpClient(server.url);
    const response = await client.request('/account/login?next=/protected');
    const html = await response.text();
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('name="next" value="/protected"');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(csrfOf(html).length).toBeGreaterThan(20);
  });

  it('escapes a hostile next parameter in the page', async () => {
    const html = await page(new HttpClient(server.url), '/account/login?next=%2Fx%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(html).not.toContain('<script');
    expect(html).toContain('name="next" value="/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E"');
  });

  it('refuses a form posted without its CSRF token', async () => {
    await user('nocsrf');
    const client = new HttpClient(server.url);
    await page(client, '/account/login');
    const response = await client.request('/account/login', { form: { username: 'nocsrf', password: 'nocsrf-password' } });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('The form expired');
    expect((await client.getJson('/whoami')).body.userId).toBeNull();
  });

  it('says the password was wrong without echoing it back, escaping the username', async () => {
    await user('wrongpw');
    const client = new HttpClient(server.url);
    const result = await postForm(client, '/account/login', { username: '<b>wrongpw</b>', password: 'secret-<typed>-password' });
    expect(result.status).toBe(400);
    expect(result.text).toContain('Please enter a correct username and password.');
    expect(result.text).toContain('value="&lt;b&gt;wrongpw&lt;/b&gt;"');
    expect(result.text).not.toContain('secret-');
  });

  it('logs a user with no device in with the password alone, regenerating the session id', async () => {
    await user('nodevice', false);
    const client = new HttpClient(server.url);
    const csrf = csrfOf(await page(client, '/account/login'));
    const before = client.sessionId;
    const response = await client.request('/account/login', { form: { _csrf: csrf, username: 'nodevice', password: 'nodevice-password', next: '/somewhere?a=1' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/somewhere?a=1');
    expect(client.sessionId).not.toBe(before);
    expect((await client.getJson('/whoami')).body).toMatchObject({ verified: false });
  });

  it('ignores a next that leaves the site', async () => {
    await user('offsite', false);
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const client = new HttpClient(server.url);
      const result = await postForm(client, '/account/login', { username: 'offsite', password: 'offsite-password', next });
      expect(result.location).toBe('/');
    }
  });

  it('logs in in two steps: password, then a token on the verify page; each step changes the session id', async () => {
    const { id, device } = await user('twostep');
    const client = new HttpClient(server.url);
    const guarded = await client.request('/protected', { headers: { accept: 'text/html' } });
    expect(guarded.headers.get('location')).toBe('/account/login?next=%2Fprotected');
    const first = await postForm(client, '/account/login', { username: 'twostep', password: 'twostep-password', next: '/protected' });
    expect(first.location).toBe('/account/verify?next=%2Fprotected');
    const afterPassword = client.sessionId;
    const verifyPage = await page(client, first.location!);
    expect(verifyPage).toContain('<label for="otp_token">Verification code</label>');
    expect(verifyPage).toContain('autocomplete="one-time-code"');
    const second = await client.request('/account/verify', {
      form: { _csrf: csrfOf(verifyPage), otp_token: await tokenOf(device!), next: '/protected' },
    });
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe('/protected');
    expect(client.sessionId).not.toBe(afterPassword);
    expect((await client.getJson('/whoami')).body).toEqual({ userId: String(id), verified: true, device: device!.persistentId });
    expect(await (await client.request('/protected')).text()).toContain('Protected area');
  });

  it('answers token_required, invalid_token, then a throttling message with the failure count and the wait', async () => {
    const { id, device } = await user('throttled');
    const client = new HttpClient(server.url);
    await postForm(client, '/account/login', { username: 'throttled', password: 'throttled-password' });
    const empty = await postForm(client, '/account/verify', { otp_token: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('data-code="token_required"');
    const wrong = await postForm(client, '/account/verify', { otp_device: device!.persistentId, otp_token: 'WRONG0' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Invalid token. Please make sure you have entered it correctly.');
    expect(wrong.text).toContain('aria-invalid="true"');
    const locked = await postForm(client, '/account/verify', { otp_device: device!.persistentId, otp_token: await tokenOf(device!) });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('because of 1 failed attempt(s), please try again in 1 second(s)');
    const failed = events.filter((e) => e.userId === String(id) && e.type !== 'deviceAdded');
    expect(failed.map((e) => `${e.type} ${e.via}`)).toEqual(['failed views', 'throttled views']);
    expect(failed[0]).toMatchObject({ deviceId: device!.persistentId, failureCount: 1, ip: '127.0.0.1' });
    expect(JSON.stringify(failed)).not.toContain('WRONG0');
    fixture.clock.advanceSeconds(2);
    const ok = await postForm(client, '/account/verify', { otp_device: device!.persistentId, otp_token: await tokenOf(device!) });
    expect(ok.status).toBe(303);
    expect(events.filter((e) => e.userId === String(id)).map((e) => e.type)).toEqual(['deviceAdded', 'failed', 'throttled', 'verified']);
  });

  it('answers malformed_token for input that can never be a token, charging and reporting no failure', async () => {
    const { id, device } = await user('malformed');
    const client = new HttpClient(server.url);
    await postForm(client, '/account/login', { username: 'malformed', password: 'malformed-password' });
    for (const otp_device of [device!.persistentId, '']) {
      const malformed = await postForm(client, '/account/verify', { otp_device, otp_token: '12;34' });
      expect(malformed.status).toBe(400);
      expect(malformed.text).toContain('data-code="malformed_token"');
      expect(malformed.text).toContain('That is not a token.');
    }
    const failed = events.filter((e) => e.userId === String(id) && e.type !== 'deviceAdded');
    expect(failed.map((e) => e.type)).toEqual(['failed', 'failed']);
    for (const event of failed) expect(event).not.toHaveProperty('failureCount');
    // Nothing was charged: the right token verifies at once.
    const ok = await postForm(client, '/account/verify', { otp_device: device!.persistentId, otp_token: await tokenOf(device!) });
    expect(ok.status).toBe(303);
  });

  it('says a non-interactive device cannot send a code', async () => {
    const { device } = await user('notinteractive');
    const client = new HttpClient(server.url);
    await postForm(client, '/account/login', { username: 'notinteractive', password: 'notinteractive-password' });
    const result = await postForm(client, '/account/verify', { otp_device: device!.persistentId, otp_challenge: '1' });
    expect(result.text).toContain('data-code="not_interactive"');
  });

  it('remembers the browser when asked, so the next login skips the token', async () => {
    const { device } = await user('remember');
    const client = new HttpClient(server.url);
    await postForm(client, '/account/login', { username: 'remember', password: 'remember-password' });
    const verifyPage = await page(client, '/account/verify');
    expect(verifyPage).toContain('Remember this browser for 30 days');
    await client.request('/account/verify', { form: { _csrf: csrfOf(verifyPage), otp_token: await tokenOf(device!), remember: '1' } });
    expect(client.cookies.has('otpkit_remember')).toBe(true);
    const csrf = csrfOf(await page(client, '/account/verify'));
    await client.request('/account/logout', { form: { _csrf: csrf } });
    expect((await client.getJson('/whoami')).body.userId).toBeNull();
    const again = await postForm(client, '/account/login', { username: 'remember', password: 'remember-password', next: '/protected' });
    expect(again.location).toBe('/protected');
    expect((await client.getJson('/whoami')).body).toMatchObject({ verified: true, device: device!.persistentId });
    expect((await client.request('/protected')).status).toBe(200);
  });

  it('asks a verified user for a fresh token when a route\'s maxAge has passed (step-up)', async () => {
    const { device } = await user('stepup');
    const client = new HttpClient(server.url);
    await postForm(client, '/account/login', { username: 'stepup', password: 'stepup-password' });
    await postForm(client, '/account/verify', { otp_token: await tokenOf(device!) });
    expect((await client.request('/step-up')).status).toBe(200);
    fixture.clock.advanceSeconds(301);
    const stale = await client.request('/step-up', { headers: { accept: 'text/html' } });
    expect(stale.headers.get('location')).toBe('/account/login?next=%2Fstep-up');
    const login = await client.request(stale.headers.get('location')!);
    expect(login.headers.get('location')).toBe('/account/verify?next=%2Fstep-up');
    const fresh = await postForm(client, '/account/verify', { otp_token: await tokenOf(device!), next: '/step-up' });
    expect(fresh.location).toBe('/step-up');
    expect((await client.request('/step-up')).status).toBe(200);
  });

  describe('on one page', () => {
    /** A one-page refusal with the per-response CSRF token blanked, to compare answers byte for byte. */
    async function refusal(form: Record<string, string>): Promise<{ status: number; text: string }> {
      const result = await postForm(new HttpClient(server.url), '/one/login', form);
      return { status: result.status, text: result.text.replace(/name="_csrf" value="[^"]*"/, 'name="_csrf" value=""') };
    }

    it('shows the token field from the first view, with no device choice and no "send me a code"', async () => {
      const html = await page(new HttpClient(server.url), '/one/login');
      expect(html).toContain('name="password"');
      expect(html).toContain('<label for="otp_token">Verification code</label>');
      expect(html).toContain('Codes sent by email or text message and security keys are not taken on this page.');
      expect(html).not.toContain('name="otp_device"');
      expect(html).not.toContain('name="otp_challenge"');
    });

    it('logs in with password and token in one post', async () => {
      const { device } = await user('onepage');
      const client = new HttpClient(server.url);
      const ok = await postForm(client, '/one/login', { username: 'onepage', password: 'onepage-password', otp_token: await tokenOf(device!), next: '/protected' });
      expect(ok.location).toBe('/protected');
      expect((await client.getJson('/whoami')).body.verified).toBe(true);
    });

    it('logs a user without a device in with the password and an empty token field', async () => {
      const { id } = await user('onepage-nodevice', false);
      const client = new HttpClient(server.url);
      const ok = await postForm(client, '/one/login', { username: 'onepage-nodevice', password: 'onepage-nodevice-password', otp_token: '', next: '/protected' });
      expect(ok.status).toBe(303);
      expect((await client.getJson('/whoami')).body).toMatchObject({ userId: String(id), verified: false });
    });

    it('password oracle via one-page form: a wrong password and a right password with a wrong, missing or throttled token get the same answer', async () => {
      const { device } = await user('oracle');
      const wrongPassword = await refusal({ username: 'oracle', password: 'not-the-password', otp_token: '000000' });
      const unknown = await refusal({ username: 'nobody-here', password: 'oracle-password', otp_token: '000000' });
      const unknownUser = { ...unknown, text: unknown.text.replace('value="nobody-here"', 'value="oracle"') };
      const wrongToken = await refusal({ username: 'oracle', password: 'oracle-password', otp_token: '000000' });
      const noToken = await refusal({ username: 'oracle', password: 'oracle-password', otp_token: '' });
      const malformed = await refusal({ username: 'oracle', password: 'oracle-password', otp_token: '!!' });
      const challenge = await refusal({ username: 'oracle', password: 'oracle-password', otp_challenge: '1' });
      // throttleFactor 1: after the misses above, the device is throttled, which must not show either.
      const throttled = await refusal({ username: 'oracle', password: 'oracle-password', otp_token: await tokenOf(device!) });
      expect(wrongPassword.status).toBe(400);
      expect(wrongPassword.text).toContain('Please enter a correct username, password and verification code.');
      for (const answer of [unknownUser, wrongToken, noToken, malformed, challenge, throttled]) expect(answer).toEqual(wrongPassword);
    });

    it('password oracle via one-page headers: a wrong password and a right password with a wrong code set the same headers and cookies', async () => {
      await user('oracle-headers');
      /** The answer's headers with the values that change on every response (date, tokens, length) blanked. */
      async function headersOf(form: Record<string, string>): Promise<Record<string, string>> {
        const client = new HttpClient(server.url);
        const csrf = csrfOf(await page(client, '/one/login'));
        const response = await client.request('/one/login', { form: { _csrf: csrf, ...form } });
        const headers: Record<string, string> = {};
        for (const [name, value] of response.headers) if (!['date', 'content-length', 'etag', 'set-cookie'].includes(name)) headers[name] = value;
        headers['set-cookie'] = response.headers.getSetCookie().map((cookie) => cookie.replace(/=[^;]*/, '=…')).join(' | ');
        headers.status = String(response.status);
        return headers;
      }
      const wrongPassword = await headersOf({ username: 'oracle-headers', password: 'not-the-password', otp_token: '000000' });
      const wrongCode = await headersOf({ username: 'oracle-headers', password: 'oracle-headers-password', otp_token: '000000' });
      expect(wrongCode).toEqual(wrongPassword);
      expect(wrongPassword.status).toBe('400');
    });

    it("login-purpose device as the second factor on one page: its code is refused like a wrong one, and a user with only such a device is signed in unverified", async () => {
      const { id } = await user('login-purpose');
      const signInOnly = (await otp.createDevice('sequence', id, { confirmed: true, name: 'Sign-in key', purpose: 'login' })) as SequenceDevice;
      const wrongPassword = await refusal({ username: 'login-purpose', password: 'not-the-password', otp_token: '000000' });
      const loginCode = await refusal({ username: 'login-purpose', password: 'login-purpose-password', otp_token: await tokenOf(signInOnly) });
      expect(loginCode).toEqual(wrongPassword);

      const { id: onlyId } = await user('login-purpose-only', false);
      const onlyDevice = (await otp.createDevice('sequence', onlyId, { confirmed: true, name: 'Sign-in key', purpose: 'login' })) as SequenceDevice;
      const client = new HttpClient(server.url);
      const ok = await postForm(client, '/one/login', { username: 'login-purpose-only', password: 'login-purpose-only-password', otp_token: await tokenOf(onlyDevice), next: '/protected' });
      expect(ok.status).toBe(303);
      expect((await client.getJson('/whoami')).body).toMatchObject({ userId: String(onlyId), verified: false, device: null });
    });

    it('session fixation around the one-page login: a planted session id never becomes the signed-in, verified session', async () => {
      const { id, device } = await user('onepage-fixation');
      const attacker = new HttpClient(server.url);
      await attacker.request('/test/login', { json: { userId: 'someone-else' } });
      const victim = new HttpClient(server.url);
      const csrf = csrfOf(await page(victim, '/one/login'));
      const planted = attacker.cookies.get('otpkit.sid');
      expect(planted).toBeDefined();
      victim.cookies.set('otpkit.sid', planted!);
      const ok = await victim.request('/one/login', { form: { _csrf: csrf, username: 'onepage-fixation', password: 'onepage-fixation-password', otp_token: await tokenOf(device!), next: '/protected' } });
      expect(ok.headers.get('location')).toBe('/protected');
      expect(victim.cookies.get('otpkit.sid')).not.toBe(planted);
      expect((await victim.getJson('/whoami')).body).toMatchObject({ userId: String(id), verified: true });
      expect((await attacker.getJson('/whoami')).body).toMatchObject({ userId: null, verified: false });
    });

    it('device name disclosure before token: a right password shows no device name, id or choice', async () => {
      const { id, device } = await user('disclosure');
      await otp.createDevice('sequence', id, { confirmed: true, name: 'Desk drawer token' });
      const answer = await refusal({ username: 'disclosure', password: 'disclosure-password', otp_token: '' });
      expect(answer.status).toBe(400);
      for (const secret of ['Desk drawer token', '>Key<', device!.persistentId, 'otp_device', 'otp_challenge', 'disclosure-password']) expect(answer.text).not.toContain(secret);
    });
  });

  it('never answers 500 to malformed or oversized forms', async () => {
    const client = new HttpClient(server.url);
    const csrf = csrfOf(await page(client, '/account/login'));
    const huge = await client.request('/account/login', { body: `_csrf=${csrf}&username=${'a'.repeat(40_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(huge.status).toBe(413);
    const repeated = await client.request('/account/login', { body: `_csrf=${csrf}&username=a&username=b&password=x&password=y`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(repeated.status).toBe(400);
    const badEncoding = await client.request('/account/login', { body: `_csrf=${csrf}&username=%E0%A4%A`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(badEncoding.status).toBeLessThan(500);
    const charset = await client.request('/account/login', { body: 'x', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=klingon' } });
    expect(charset.status).toBeLessThan(500);
  });
});

import { describe, expect, it } from 'vitest';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { twoFactorApi } from '@otpkit/express';
import type { ApiClient, Answer } from '../../packages/express/src/test-support/api-client.js';
import { signInFixture } from '../../packages/signin/src/test-support/signin-fixture.js';
import { checker, signInApp, type SignInApp } from './support/sign-in-app.js';

/** The `Set-Cookie` line of cookie `name`, or `undefined`. */
const setCookieLine = (headers: Headers, name: string) => headers.getSetCookie().find((line) => line.startsWith(`${name}=`));

/** The refresh cookie's CSRF header of a browser that signed in with tokens. */
const csrfHeader = (client: ApiClient) => ({ headers: { 'x-csrf-token': client.http.cookies.get('otpkit-csrf')! } });

/** The claims of the access token a cookie-mode browser gets by refreshing. */
async function claimsAfterRefresh(app: SignInApp, client: ApiClient): Promise<Record<string, unknown>> {
  const refreshed = await client.send('POST', '/tokens/refresh', {}, csrfHeader(client));
  expect(refreshed.status).toBe(200);
  const me = await fetch(`${app.server.url}/tokens/me`, { headers: { authorization: `Bearer ${refreshed.body.accessToken}` } });
  return ((await me.json()) as { token: Record<string, unknown> }).token;
}

describeOnEachBackend(
  'passwordless sign-in over the JSON API',
  (block) => {
    const fixture = signInFixture(block);

    describe('with token sessions', () => {
      const app = signInApp(fixture, { tokens: true });

      it('signs in by SMS through the routes: a code texted, then a token session with amr sms and aal 1 on that phone', async () => {
        const { userId, phone, device } = await fixture.phoneUser();
        const client = app.client();
        const started = await client.post('/signin/start', { phone: phone.replace('+1415', '+1 (415) ') });
        expect(started).toMatchObject({ status: 202, body: { validUntil: expect.any(Number) } });
        await app.signIn.idle();
        const finished = await client.post('/signin/finish', { phone, code: fixture.twilio.lastTokenTo(phone) });
        expect(finished.status).toBe(200);
        expect(finished.body).toMatchObject({ tokenType: 'Bearer', userId, method: 'sms', registered: false, csrfToken: expect.any(String) });
        expect(finished.body).not.toHaveProperty('refreshToken');
        expect(setCookieLine(finished.headers, 'otpkit-refresh')).toMatch(/HttpOnly; SameSite=Strict/);
        const [session] = await app.sessions!.listSessions(userId);
        expect(session).toMatchObject({ amr: ['sms'], aal: 1, deviceId: device.persistentId });
        expect(await claimsAfterRefresh(app, client)).toMatchObject({ sub: userId, amr: ['sms'], aal: 1 });
      });

      it('signs in by email through the routes: a code mailed, then a token session with amr email', async () => {
        const { userId, email } = await fixture.emailUser('both');
        const client = app.client();
        expect((await client.post('/signin/start', { email })).status).toBe(202);
        await app.signIn.idle();
        const finished = await client.post('/signin/finish', { email, code: fixture.smtp.lastTokenTo(email) });
        expect(finished.body).toMatchObject({ userId, method: 'email' });
        expect(await claimsAfterRefresh(app, client)).toMatchObject({ sub: userId, amr: ['email'], aal: 1 });
      });

      it('a sign-in code sent as a JSON number is 400 token_not_string, and the code still signs in as a string', async () => {
        const { userId, email } = await fixture.emailUser('both');
        const client = app.client();
        expect((await client.post('/signin/start', { email })).status).toBe(202);
        await app.signIn.idle();
        const code = fixture.smtp.lastTokenTo(email);
        expect(await client.post('/signin/finish', { email, code: Number(code) })).toMatchObject({ status: 400, body: { error: { code: 'token_not_string', field: 'code' } } });
        expect(await client.post('/signin/finish', { email, code })).toMatchObject({ status: 200, body: { userId } });
      });

      it('unknown address gets the same answer and nothing is sent', async () => {
        const known = { ...(await fixture.phoneUser()), ...(await fixture.emailUser()) };
        const unknown = fixture.fresh();
        const sent = { sms: fixture.twilio.messages.length, mail: fixture.smtp.messages.length };
        const at = fixture.clock.now();
        const answers: Answer[] = [];
        for (const address of [{ phone: known.phone }, { phone: unknown.phone }, { email: known.email }, { email: unknown.email }]) {
          fixture.clock.set(at);
          answers.push(await app.client().post('/signin/start', address));
        }
        expect(answers[1]!.body).toEqual(answers[0]!.body);
        expect(answers[3]!.body).toEqual(answers[2]!.body);
        for (const answer of answers) expect([answer.status, answer.headers.getSetCookie()]).toEqual([202, []]);
        await app.signIn.idle();
        expect(fixture.twilio.messages.slice(sent.sms).map(({ to }) => to)).toEqual([known.phone]);
        expect(fixture.smtp.messages.slice(sent.mail).flatMap(({ to }) => to)).toEqual([known.email]);
        const wrong = await app.client().post('/signin/finish', { phone: known.phone, code: '000000' });
        const nobody = await app.client().post('/signin/finish', { phone: unknown.phone, code: '000000' });
        expect([wrong.status, wrong.body]).toEqual([400, { error: { code: 'signin_invalid', message: 'That code is not right, expired or was already used; ask for a new one' } }]);
        expect([nobody.status, nobody.body]).toEqual([wrong.status, wrong.body]);
      });

      it('50 racing /signin/finish with one code: exactly one 200', async () => {
        const { userId, phone } = await fixture.phoneUser();
        await app.client().post('/signin/start', { phone });
        await app.signIn.idle();
        const code = fixture.twilio.lastTokenTo(phone);
        const answers = await Promise.all(Array.from({ length: 50 }, () => app.client().post('/signin/finish', { phone, code })));
        expect(answers.filter(({ status }) => status === 200)).toHaveLength(1);
        expect(answers.filter(({ status }) => status !== 200).map(({ body }) => body.error.code).filter((code) => code !== 'signin_invalid' && code !== 'throttled')).toEqual([]);
        expect(await app.sessions!.listSessions(userId)).toHaveLength(1);
      });

      it('guessing codes for an address: 400 signin_invalid, then 429 throttled with Retry-After, even for the right code', async () => {
        const { phone } = await fixture.phoneUser();
        await app.client().post('/signin/start', { phone });
        await app.signIn.idle();
        const code = fixture.twilio.lastTokenTo(phone);
        const wrong = code === '999999' ? '999998' : '999999';
        for (let attempt = 0; attempt < 5; attempt += 1) expect((await app.client().post('/signin/finish', { phone, code: wrong })).body.error.code).toBe('signin_invalid');
        const throttled = await app.client().post('/signin/finish', { phone, code });
        expect(throttled.status).toBe(429);
        expect(throttled.body.error).toMatchObject({ code: 'throttled', retryAfter: expect.any(Number) });
        expect(Number(throttled.headers.get('retry-after'))).toBe(throttled.body.error.retryAfter);
      });

      it('asking codes for one address again and again: 429 signin_rate_limited with Retry-After, known address or not', async () => {
        for (const phone of [(await fixture.phoneUser()).phone, fixture.fresh().phone]) {
          const answers = [];
          for (let ask = 0; ask < 4; ask += 1) answers.push(await app.client().post('/signin/start', { phone }));
          expect(answers.map(({ status }) => status)).toEqual([202, 202, 202, 429]);
          expect(answers[3]!.body.error).toMatchObject({ code: 'signin_rate_limited', message: 'Too many sign-in attempts; try again later', retryAfter: expect.any(Number) });
          expect(answers[3]!.headers.get('retry-after')).toBe(String(answers[3]!.body.error.retryAfter));
        }
      });

      it('bad sign-in input is a 400 invalid_request, never a 500', async () => {
        const client = app.client();
        const bodies: [string, unknown][] = [
          ['/signin/start', {}],
          ['/signin/start', { phone: 42 }],
          ['/signin/start', { phone: '+14155550100', email: 'a@example.test' }],
          ['/signin/start', { phone: 'call me maybe' }],
          ['/signin/start', { email: 'x'.repeat(300) }],
          ['/signin/finish', { phone: '+14155550100' }],
          ['/signin/finish', { email: 'a@example.test', code: { $gt: '' } }],
          ['/signin/link', { phone: '+14155550100' }],
          ['/signin/link', { email: 'not an address' }],
        ];
        for (const [path, body] of bodies) {
          const answer = await client.post(path, body);
          expect([path, answer.status, answer.body.error.code]).toEqual([path, 400, 'invalid_request']);
        }
        expect((await client.send('POST', '/signin/start', undefined, { body: 'phone=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
      });

      it('a magic link works once: the browser that asked lands signed in, at next; a second click is refused', async () => {
        const { userId, email, device } = await fixture.emailUser();
        const client = app.client();
        const asked = await client.post('/signin/link', { email });
        expect(asked).toMatchObject({ status: 202, body: { validUntil: expect.any(Number) } });
        expect(setCookieLine(asked.headers, 'otpkit-browser')).toMatch(/^otpkit-browser=[\w-]{43}; Max-Age=(899|900); Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
        const token = await app.linkTo(email);
        const landed = await app.page(client, `/signin/link/${token}?next=/dashboard`);
        expect(landed.status).toBe(303);
        expect(landed.headers.get('location')).toBe('/dashboard');
        expect(setCookieLine(landed.headers, 'otpkit-refresh')).toMatch(/Path=\/api\/2fa\/tokens; .*HttpOnly; SameSite=Strict/);
        expect(await app.sessions!.listSessions(userId)).toEqual([expect.objectContaining({ amr: ['link'], aal: 1, deviceId: device.persistentId })]);
        expect(await claimsAfterRefresh(app, client)).toMatchObject({ sub: userId, amr: ['link'] });
        const again = await app.page(client, `/signin/link/${token}`);
        expect(again.status).toBe(400);
        expect(again.html).toContain('This sign-in link is not valid: it expired or was already used. Ask for a new one.');
        expect(await app.sessions!.listSessions(userId)).toHaveLength(1);
      });

      it('a magic link with its token in the query works as well, and an unsafe next goes to /', async () => {
        const { email } = await fixture.emailUser();
        const client = app.client();
        await client.post('/signin/link', { email });
        const token = await app.linkTo(email);
        expect((await app.page(app.client(), `/signin/link?token=${token}`)).html).toContain('Sign in on this browser?');
        const landed = await app.page(client, `/signin/link?token=${token}&next=//evil.example/`);
        expect([landed.status, landed.headers.get('location')]).toEqual([303, '/']);
      });

      it('an expired magic link is refused', async () => {
        const { userId, email } = await fixture.emailUser();
        const client = app.client();
        await client.post('/signin/link', { email });
        const token = await app.linkTo(email);
        fixture.clock.advanceSeconds(15 * 60);
        expect((await app.page(client, `/signin/link/${token}`)).status).toBe(400);
        expect(await app.sessions!.listSessions(userId)).toEqual([]);
      });

      it('forwarded magic link asks before signing in', async () => {
        const { userId, email } = await fixture.emailUser();
        const asker = app.client();
        await asker.post('/signin/link', { email });
        const token = await app.linkTo(email);
        const elsewhere = app.client();
        const asked = await app.page(elsewhere, `/signin/link/${token}?next=/dashboard`);
        expect(asked.status).toBe(200);
        expect(asked.html).toContain('<h1>Sign in on this browser?</h1>');
        expect(asked.html).not.toMatch(/<script/i);
        expect(asked.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(asked.headers.get('referrer-policy')).toBe('no-referrer');
        expect(setCookieLine(asked.headers, 'otpkit-refresh')).toBeUndefined();
        expect(await app.sessions!.listSessions(userId)).toEqual([]);
        const action = /<form method="post" action="\/api\/2fa([^"]+)"/.exec(asked.html)![1]!;
        const fields = Object.fromEntries([...asked.html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(([, name, value]) => [name!, value!]));
        expect(fields.next).toBe('/dashboard');
        const forged = await app.page(elsewhere, action, { ...fields, _csrf: 'A'.repeat(43), confirm: '1' });
        expect(forged.status).toBe(403);
        expect(await app.sessions!.listSessions(userId)).toEqual([]);
        const confirmed = await app.page(elsewhere, action, { ...fields, confirm: '1' });
        expect([confirmed.status, confirmed.headers.get('location')]).toEqual([303, '/dashboard']);
        expect(await claimsAfterRefresh(app, elsewhere)).toMatchObject({ sub: userId, amr: ['link'] });
        expect((await app.page(asker, `/signin/link/${token}`)).status).toBe(400);
      });

      it('a mail scanner looking at a link (HEAD, or GET from another browser) spends nothing', async () => {
        const { userId, email } = await fixture.emailUser();
        const client = app.client();
        await client.post('/signin/link', { email });
        const token = await app.linkTo(email);
        const head = await client.http.request(`/api/2fa/signin/link/${token}`, { method: 'HEAD' });
        expect(head.status).toBe(200);
        expect((await app.page(app.client(), `/signin/link/${token}`)).status).toBe(200);
        expect(await app.sessions!.listSessions(userId)).toEqual([]);
        expect((await app.page(client, `/signin/link/${token}`)).status).toBe(303);
      });

      it('an unknown address asking for a link gets the same answer, and no mail', async () => {
        const known = await fixture.emailUser();
        const unknown = fixture.fresh().email;
        const at = fixture.clock.now();
        fixture.clock.set(at);
        const first = await app.client().post('/signin/link', { email: known.email });
        fixture.clock.set(at);
        const second = await app.client().post('/signin/link', { email: unknown });
        expect([second.status, second.body]).toEqual([first.status, first.body]);
        await app.signIn.idle();
        expect(fixture.smtp.messages.some(({ to }) => to.includes(unknown))).toBe(false);
      });
    });

    describe('with the browser session', () => {
      const app = signInApp(fixture, { tokens: false });

      it('a code logs the browser session in: a new session id, authenticated, not verified (one factor)', async () => {
        const { userId, phone } = await fixture.phoneUser();
        const client = await loggedIn(app, fixture.fresh().userId);
        const before = client.http.sessionId;
        expect(before).toBeDefined();
        await client.post('/signin/start', { phone });
        await app.signIn.idle();
        const finished = await client.post('/signin/finish', { phone, code: fixture.twilio.lastTokenTo(phone) });
        expect(finished.body).toEqual({ signedIn: true, userId, method: 'sms', registered: false, verified: false });
        expect(client.http.sessionId).not.toBe(before);
        expect(await client.whoami()).toEqual({ userId, verified: false, device: null });
      });

      it('one factor counted twice: the phone that signed in cannot also verify the session as its second factor; another device can', async () => {
        const { userId, phone, device } = await fixture.phoneUser('both');
        const other = fixture.fresh().phone;
        const second = await fixture.otp.createDevice('sms', userId, { number: other, confirmed: true, purpose: 'second-factor' });
        const client = app.client();
        await client.post('/signin/start', { phone });
        await app.signIn.idle();
        expect((await client.post('/signin/finish', { phone, code: fixture.twilio.lastTokenTo(phone) })).status).toBe(200);
        fixture.clock.advanceSeconds(120); // past the phone's cooldown
        expect((await client.post('/challenge', { device: device.persistentId })).status).toBe(200);
        const twice = await client.post('/validate', { device: device.persistentId, token: fixture.twilio.lastTokenTo(phone) });
        expect([twice.status, twice.body.error?.code]).toEqual([400, 'invalid_request']);
        expect(await client.whoami()).toEqual({ userId, verified: false, device: null });
        expect((await client.post('/challenge', { device: second.persistentId })).status).toBe(200);
        const verified = await client.post('/validate', { device: second.persistentId, token: fixture.twilio.lastTokenTo(other) });
        expect(verified.status).toBe(200);
        expect(await client.whoami()).toEqual({ userId, verified: true, device: second.persistentId });
      });

      it('a magic link logs the browser session in and redirects', async () => {
        const { userId, email } = await fixture.emailUser();
        const client = app.client();
        await client.post('/signin/link', { email });
        const landed = await app.page(client, `/signin/link/${await app.linkTo(email)}`);
        expect([landed.status, landed.headers.get('location')]).toEqual([303, '/']);
        expect(await client.whoami()).toEqual({ userId, verified: false, device: null });
      });

      it("a second-factor link verifies the signed-in session of its user, and nobody else's", async () => {
        const { userId, email, device } = await fixture.emailUser('second-factor');
        const mine = await loggedIn(app, userId);
        const someoneElse = await loggedIn(app, fixture.fresh().userId);
        for (const [client, expected] of [[someoneElse, 400], [mine, 303]] as const) {
          await app.signIn.startLink({ userId, deviceId: device.persistentId });
          const asked = await app.page(client, `/signin/link/${await app.linkTo(email)}`);
          const confirmed = await app.page(client, `/signin/link/${await app.linkTo(email)}`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(asked.html)![1]!, next: '/', confirm: '1' });
          expect(confirmed.status).toBe(expected);
        }
        expect(await someoneElse.whoami()).toMatchObject({ verified: false });
        expect(await mine.whoami()).toEqual({ userId, verified: true, device: device.persistentId });
      });
    });

    describe('without magic links', () => {
      const app = signInApp(fixture, { tokens: false, links: false });

      it('codes still sign in, and the link routes are 404 not_found', async () => {
        const { phone } = await fixture.phoneUser();
        const client = app.client();
        expect((await client.post('/signin/start', { phone })).status).toBe(202);
        const link = await client.post('/signin/link', { email: fixture.fresh().email });
        expect([link.status, link.body.error.code]).toEqual([404, 'not_found']);
        expect((await client.http.request(`/api/2fa/signin/link/${'A'.repeat(43)}`)).status).toBe(404);
      });
    });
  },
  { poolSize: 12 },
);

/** A client of `app` logged in as `userId` with a password only (the test app's `/test/login`). */
async function loggedIn(app: SignInApp, userId: string): Promise<ApiClient> {
  const client = app.client();
  await client.http.request('/test/login', { json: { userId } });
  return client;
}

it('exercises every documented success answer of the sign-in routes', () => {
  const successes = checker.documented().filter((entry) => entry.includes(' /signin/') && /\s(2\d\d|303)$/.test(entry));
  expect(successes).toHaveLength(8);
  expect(successes.filter((entry) => !checker.seen.has(entry))).toEqual([]);
});

it('sign-in configuration mistakes fail at start-up, naming the fix', () => {
  const otp = { plugins: [] } as never;
  const signIn = { clock: () => 0, methods: ['email'], links: true, start: () => null, finish: () => null, startLink: () => null, finishLink: () => null } as never;
  const tokenSessions = Object.fromEntries(['clock', 'issue', 'verifyAccessToken', 'refresh', 'logout', 'logoutWithRefreshToken', 'logoutOthers', 'listSessions', 'revokeSession', 'revokeAll'].map((name) => [name, () => null])) as never;
  expect(() => twoFactorApi(otp, { signIn: { start: () => null } as never })).toThrow(/signIn must be a SignIn from @otpkit\/signin \(createSignIn/);
  expect(() => twoFactorApi(otp, { signIn, tokenSessions })).toThrow(/a magic link signs in the browser that opens it.*tokenTransport 'cookie' or 'both'/);
  expect(() => twoFactorApi(otp, { signIn, tokenSessions, tokenTransport: 'both' })).not.toThrow();
  expect(() => twoFactorApi(otp, { signIn })).not.toThrow();
});

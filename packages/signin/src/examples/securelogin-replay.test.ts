import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { generateSigningKey, type TokenSessions } from '@otpkit/tokens';
import type { SignIn } from '@otpkit/signin';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN, startTwilioServer, type TwilioServer } from '../../../sms/src/test-support/twilio-server.js';
import { secureLoginApp } from './securelogin-app.js';

/** An answer of the app: its status and JSON body. */
interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & { access_token?: string; refresh_token?: string };
}

/** What a device keeps after `/verify_sms` or `/refresh`. */
interface Tokens {
  readonly access: string;
  readonly refresh: string;
}

/** `/refresh` refusing a refresh token. */
const REFUSED = { status: 401, body: { error: { code: 'token_invalid', message: expect.any(String) } } };
/** `tokenRequired` refusing an access token, for `reason`. */
const refusedAccess = (reason: 'invalid' | 'revoked') => ({ status: 401, body: { error: { code: 'token_invalid', message: expect.any(String), reason } } });

// flask-securelogin's README, replayed over HTTP against the otpkit example that reproduces it.
describeOnEachBackend('flask-securelogin, reproduced', (block) => {
  // Real time (sign-in's timing envelope waits on it), moved forward by `skip`.
  let skipped = 0;
  const clock = () => Date.now() + skipped;
  const skip = (seconds: number) => (skipped += seconds * 1000);
  let twilio: TwilioServer;
  let server: Server;
  let url: string;
  let signIn: SignIn;
  let sessions: TokenSessions;

  const signingKey = generateSigningKey('EdDSA', 'test');

  beforeAll(async () => {
    vi.stubEnv('OTP_KEY_1', randomBytes(32).toString('base64'));
    twilio = await startTwilioServer();
  });
  afterAll(async () => {
    await twilio?.close();
    vi.unstubAllEnvs();
  });
  // Every test starts the app afresh on the block's database, as a restarted server would (its send limits start afresh too).
  beforeEach(async () => {
    const twilioOptions = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: twilio.baseUrl };
    const made = await secureLoginApp({ knex: block.database.knex, twilio: twilioOptions, signingKey, clock });
    ({ signIn, sessions } = made);
    server = made.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await signIn.idle();
  });

  /** `curl -X POST -d '<body>' -H "content-type: application/json" [-H "Authorization: Bearer <bearer>"] <url><path>` */
  async function post(path: string, body: unknown, bearer?: string, userAgent = 'curl/8.5.0'): Promise<Answer> {
    const headers = { 'content-type': 'application/json', 'user-agent': userAgent, ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }) };
    const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  /** The code in the newest SMS to `phone`, once the deliveries under way have reached the Twilio server. */
  async function codeTextedTo(phone: string): Promise<string> {
    await signIn.idle();
    return twilio.lastTokenTo(phone);
  }

  /** `/verify_sms` with the code texted to `phone`, checked against the README's answer. */
  async function verifySms(phone: string, userAgent?: string): Promise<Tokens> {
    const verified = await post('/verify_sms', { userid: phone, phone, token: await codeTextedTo(phone) }, undefined, userAgent);
    expect(verified).toEqual({ status: 200, body: { access_token: expect.any(String), refresh_token: expect.any(String), userid: phone } });
    return { access: verified.body.access_token!, refresh: verified.body.refresh_token! };
  }

  /** `/login` then `/verify_sms`: a sign-in from a device named by its `User-Agent`. */
  async function logIn(phone: string, userAgent?: string): Promise<Tokens> {
    expect(await post('/login', { auth_type: 'PHONE', phone }, undefined, userAgent)).toEqual({ status: 200, body: { phone, userid: phone } });
    return verifySms(phone, userAgent);
  }

  /** `/refresh` with the refresh token in the Authorization header, checked against the README's answer. */
  async function refresh(tokens: Tokens): Promise<Tokens> {
    const refreshed = await post('/refresh', {}, tokens.refresh);
    expect(refreshed).toEqual({ status: 200, body: { access_token: expect.any(String), refresh_token: expect.any(String) } });
    return { access: refreshed.body.access_token!, refresh: refreshed.body.refresh_token! };
  }

  /** The session an access token belongs to. */
  async function sessionOf(tokens: Tokens): Promise<string> {
    const checked = await sessions.verifyAccessToken(tokens.access);
    if (!checked.ok) throw new Error(`the access token is ${checked.reason}`);
    return checked.claims.sid;
  }

  it('replays the README: register, login, verify_sms, op, refresh, a second device, logout_all_other_sessions, logout', async () => {
    const phone = '+14155550100';
    const registered = await post('/register', { username: 'my test account', auth_type: 'PHONE', phone });
    expect(registered).toEqual({ status: 200, body: { message: 'registered successfully', userid: phone } });
    const registrationCode = await codeTextedTo(phone);
    expect(twilio.lastTo(phone)).toEqual({ to: phone, from: '+15005550006', body: `Your mysite code: ${registrationCode}` });

    // The README logs in next: that texts a new code, and only the newest one counts.
    expect(await post('/login', { auth_type: 'PHONE', phone })).toEqual({ status: 200, body: { phone, userid: phone } });
    expect(await codeTextedTo(phone)).not.toBe(registrationCode);
    const stale = await post('/verify_sms', { userid: phone, phone, token: registrationCode });
    expect(stale).toEqual({ status: 400, body: { error: { code: 'invalid_token', message: expect.any(String) } } });
    const first = await verifySms(phone, 'mysite-app/1.0 (first phone)');
    expect(await block.database.knex('securelogin_user').select('phone', 'username')).toEqual([{ phone, username: 'my test account' }]);
    expect(await post('/op', {}, first.access)).toEqual({ status: 200, body: { message: 'test op successful' } });

    const refreshed = await refresh(first);
    expect(refreshed.refresh).not.toBe(first.refresh);
    expect(await post('/op', {}, refreshed.access)).toEqual({ status: 200, body: { message: 'test op successful' } });

    const second = await logIn(phone, 'mysite-app/1.0 (another device)');
    expect(await sessions.listSessions(phone)).toHaveLength(2);
    const answer = await post('/logout_all_other_sessions', { refresh_token: second.refresh }, second.access);
    expect(answer).toEqual({ status: 200, body: { message: 'logout all other sessions successful' } });
    expect((await sessions.listSessions(phone)).map((session) => session.id)).toEqual([await sessionOf(second)]);
    expect(await post('/op', {}, refreshed.access)).toEqual(refusedAccess('revoked'));
    expect(await post('/refresh', {}, refreshed.refresh)).toEqual(REFUSED);
    expect(await post('/refresh', {}, first.refresh)).toEqual(REFUSED);
    expect(await post('/op', {}, second.access)).toEqual({ status: 200, body: { message: 'test op successful' } });

    expect(await post('/logout', { refresh_token: second.refresh }, second.access)).toEqual({ status: 200, body: { message: 'logout successful' } });
    expect(await post('/op', {}, second.access)).toEqual(refusedAccess('revoked'));
    expect(await post('/refresh', {}, second.refresh)).toEqual(REFUSED);
    expect(await sessions.listSessions(phone)).toEqual([]);
  });

  it('refresh token replay: a refresh token used twice is refused, and its session is signed out', async () => {
    const phone = '+14155550101';
    const stolen = await logIn(phone);
    const rotated = await refresh(stolen);
    expect(await post('/refresh', {}, stolen.refresh)).toEqual(REFUSED);
    // Two parties held the session: both are signed out.
    expect(await post('/refresh', {}, rotated.refresh)).toEqual(REFUSED);
    expect(await post('/op', {}, rotated.access)).toEqual(refusedAccess('revoked'));
  });

  it('a stale sign-in cannot log out the other sessions: flask-securelogin asks for a fresh token, otpkit for a sign-in within 10 minutes', async () => {
    const phone = '+14155550102';
    const tokens = await refresh(await logIn(phone));
    skip(601);
    const later = await refresh(tokens);
    const answer = await post('/logout_all_other_sessions', { refresh_token: later.refresh }, later.access);
    expect(answer).toEqual({ status: 401, body: { error: { code: 'step_up_required', message: expect.any(String), aal: 1, maxAge: 600 } } });
    expect(await post('/op', {}, later.access)).toEqual({ status: 200, body: { message: 'test op successful' } });
  });

  it('account enumeration: /register and /login answer a registered phone as they answer an unknown one', async () => {
    const known = '+14155550103';
    const unknown = '+14155550199';
    await logIn(known);
    for (const phone of [known, unknown]) {
      expect(await post('/register', { username: 'someone else', auth_type: 'PHONE', phone })).toEqual({ status: 200, body: { message: 'registered successfully', userid: phone } });
      expect(await post('/login', { auth_type: 'PHONE', phone })).toEqual({ status: 200, body: { phone, userid: phone } });
    }
    // The registered user keeps their account; the unknown phone has none until its code comes back.
    expect(await block.database.knex('securelogin_user').where({ phone: known }).first('username')).toEqual({ username: null });
    expect(await sessions.listSessions(unknown)).toEqual([]);
  });

  it('SMS pumping: a fourth code for one phone within 15 minutes is refused with 429 and Retry-After, and not texted', async () => {
    const phone = '+14155550106';
    for (let asked = 0; asked < 3; asked += 1) expect(await post('/login', { auth_type: 'PHONE', phone })).toMatchObject({ status: 200 });
    const response = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth_type: 'PHONE', phone }) });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ error: { code: 'throttled', message: expect.any(String) } });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    await signIn.idle();
    expect(twilio.messages.filter((message) => message.to === phone)).toHaveLength(3);
  });

  it('code guessing: after 5 wrong codes for a phone, /verify_sms answers 429 even to the right code', async () => {
    const phone = '+14155550107';
    expect(await post('/register', { username: 'guessed', auth_type: 'PHONE', phone })).toMatchObject({ status: 200 });
    const code = await codeTextedTo(phone);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let guess = 0; guess < 5; guess += 1) {
      expect(await post('/verify_sms', { userid: phone, phone, token: wrong })).toMatchObject({ status: 400, body: { error: { code: 'invalid_token' } } });
    }
    expect(await post('/verify_sms', { userid: phone, phone, token: code })).toEqual({ status: 429, body: { error: { code: 'throttled', message: expect.any(String) } } });
    expect(await sessions.listSessions(phone)).toEqual([]);
  });

  it('answers bad input with a 400 and a stable code, never a 500', async () => {
    const phone = '+14155550104';
    const invalid = { status: 400, body: { error: { code: 'invalid_request', message: expect.any(String) } } };
    expect(await post('/register', '{"username": "x", ', undefined)).toEqual(invalid);
    expect(await post('/register', { username: 'x', auth_type: 'PASSWORD', phone })).toEqual(invalid);
    expect(await post('/register', { username: '', auth_type: 'PHONE', phone })).toEqual(invalid);
    expect(await post('/login', { auth_type: 'PHONE', phone: 'not a phone' })).toEqual(invalid);
    expect(await post('/login', { auth_type: 'PHONE', phone: 14155550104 })).toEqual(invalid);
    expect(await post('/login', [])).toEqual(invalid);
    expect(await post('/verify_sms', { userid: '+14155550105', phone, token: '123456' })).toEqual(invalid);
    expect(await post('/verify_sms', { userid: phone, phone, token: 123456 })).toEqual(invalid);
    expect(await post('/verify_sms', { userid: phone, phone, token: '000000' })).toEqual({ status: 400, body: { error: { code: 'invalid_token', message: expect.any(String) } } });
    expect(await post('/refresh', {}, 'not-a-refresh-token')).toEqual(REFUSED);
    expect(await post('/refresh', {})).toEqual(REFUSED);
    expect(await post('/op', {})).toEqual({ status: 401, body: { error: { code: 'token_required', message: expect.any(String) } } });
    expect(await post('/logout', {}, 'a.b.c')).toEqual(refusedAccess('invalid'));
  });
});

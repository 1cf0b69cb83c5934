import { expect, it } from 'vitest';
import { tokenSender, twoFactorApi } from '@otpkit/express';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import type { Answer, ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { tokenApp, type TokenApp } from './support/token-app.js';

/** The `Set-Cookie` line of cookie `name`, split into its value and its attributes (lower-case names). */
function setCookie(answer: Answer, name: string): { value: string; attributes: Map<string, string> } | undefined {
  const line = answer.headers.getSetCookie().find((candidate) => candidate.startsWith(`${name}=`));
  if (line === undefined) return undefined;
  const [pair, ...rest] = line.split(';');
  const attributes = new Map(rest.map((part) => part.trim().split('=') as [string, string?]).map(([key, value]) => [key.toLowerCase(), value ?? '']));
  return { value: pair!.slice(name.length + 1), attributes };
}

/** Whether the answer deletes cookie `name` (an empty value that expired in 1970). */
function deletes(answer: Answer, name: string): boolean {
  const cookie = setCookie(answer, name);
  return cookie !== undefined && cookie.value === '' && /1970/.test(cookie.attributes.get('expires') ?? '');
}

const REFRESH = '__Secure-otpkit-refresh';
const CSRF = '__Host-otpkit-csrf';

/** A POST of the browser's JSON API client, with `X-CSRF-Token` when given. */
const post = (client: ApiClient, path: string, csrf?: string, json: unknown = {}) => client.send('POST', path, json, { headers: csrf === undefined ? {} : { 'x-csrf-token': csrf } });

describeOnBackends('token sessions in cookie mode', (fixture) => {
  const app: TokenApp = tokenApp(fixture, { tokenTransport: 'cookie' });

  it("sign-in sets the refresh token in an HttpOnly, Secure, SameSite=Strict cookie on the token routes' path, and a readable CSRF cookie", async () => {
    const { answer } = await app.browser();
    expect(answer.status).toBe(200);
    const refresh = setCookie(answer, REFRESH)!;
    expect(refresh.value).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(Object.fromEntries(refresh.attributes)).toMatchObject({ path: '/api/2fa/tokens', httponly: '', secure: '', samesite: 'Strict', 'max-age': String(14 * 86_400) });
    const csrf = setCookie(answer, CSRF)!;
    expect(csrf.value).toBe(answer.body.csrfToken);
    expect(Object.fromEntries(csrf.attributes)).toMatchObject({ path: '/', secure: '', samesite: 'Strict' });
    expect(csrf.attributes.has('httponly')).toBe(false);
  });

  it('refresh token never appears in JSON in cookie mode', async () => {
    const { client, answer } = await app.browser();
    const first = setCookie(answer, REFRESH)!.value;
    expect(answer.body).not.toHaveProperty('refreshToken');
    expect(JSON.stringify(answer.body)).not.toContain(first.split('.')[1]);
    fixture.clock.advanceSeconds(60);
    const refreshed = await post(client, '/tokens/refresh', answer.body.csrfToken);
    expect(refreshed.status).toBe(200);
    const second = setCookie(refreshed, REFRESH)!.value;
    expect(second).not.toBe(first);
    expect(refreshed.body).toEqual({ tokenType: 'Bearer', accessToken: expect.any(String), sessionId: answer.body.sessionId, accessTokenExpiresAt: expect.any(Number), refreshTokenExpiresAt: expect.any(Number), csrfToken: answer.body.csrfToken });
    const listed = await app.bearer(refreshed.body.accessToken).get('/tokens/sessions');
    for (const text of [JSON.stringify(refreshed.body), JSON.stringify(listed.body)]) {
      for (const token of [first, second]) expect(text).not.toContain(token.split('.')[1]);
    }
  });

  it('refresh with the cookie and X-CSRF-Token rotates the cookie; the rotated-away value is refused and deletes the cookies', async () => {
    const { client, answer } = await app.browser();
    const old = client.http.cookies.get(REFRESH)!;
    expect((await post(client, '/tokens/refresh', answer.body.csrfToken)).status).toBe(200);
    expect((await post(client, '/tokens/refresh', answer.body.csrfToken)).status).toBe(200);
    client.http.cookies.set(REFRESH, old);
    const reused = await post(client, '/tokens/refresh', answer.body.csrfToken);
    expect(reused.status).toBe(401);
    expect(reused.body.error).toMatchObject({ code: 'token_invalid', reason: 'invalid' });
    expect(deletes(reused, REFRESH) && deletes(reused, CSRF)).toBe(true);
  });

  it('cross-site refresh without the CSRF header is refused', async () => {
    const { client, answer, userId } = await app.browser();
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const refusals = [
      await client.send('POST', '/tokens/refresh', {}, { headers: crossSite }),
      await client.send('POST', '/tokens/refresh', {}, { headers: { ...crossSite, 'x-csrf-token': 'A'.repeat(43) } }),
      await client.send('POST', '/tokens/refresh', {}, { headers: { ...crossSite, 'x-csrf-token': '' } }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('csrf_invalid');
      expect(refused.headers.getSetCookie()).toEqual([]);
    }
    // A cross-site form can send the cookie's request only as a form, which the API refuses.
    const form = await client.send('POST', '/tokens/refresh', undefined, { body: 'refreshToken=x', headers: { ...crossSite, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    // Nothing was spent: the browser's own refresh still works with the same cookie.
    const [session] = await app.sessions.listSessions(userId);
    expect(session!.generation).toBe(0);
    expect((await post(client, '/tokens/refresh', answer.body.csrfToken)).status).toBe(200);
  });

  it("a CSRF header matching another browser's cookie is refused: the header must repeat this request's cookie", async () => {
    const mine = await app.browser();
    const theirs = await app.browser();
    const refused = await post(mine.client, '/tokens/refresh', theirs.answer.body.csrfToken);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('csrf_invalid');
  });

  it('a refresh token in the body is refused in cookie mode (400), and no cookie at all is 401 token_invalid', async () => {
    const { answer } = await app.browser();
    const inBody = await app.anonymous().post('/tokens/refresh', { refreshToken: setCookie(answer, REFRESH)!.value });
    expect(inBody.status).toBe(400);
    expect(inBody.body.error).toMatchObject({ code: 'invalid_request', detail: 'Invalid fields: refreshToken' });
    const none = await app.anonymous().post('/tokens/refresh', {});
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'token_invalid', reason: 'invalid' });
  });

  it('logout with the cookie and the CSRF token ends the session and deletes the cookies, without an access token', async () => {
    const { client, answer, userId } = await app.browser();
    const cookie = client.http.cookies.get(REFRESH)!;
    const other = await app.sessions.issue(userId, { amr: ['pwd'], aal: 1 });
    const loggedOut = await post(client, '/tokens/logout', answer.body.csrfToken);
    expect(loggedOut.status).toBe(204);
    expect(deletes(loggedOut, REFRESH) && deletes(loggedOut, CSRF)).toBe(true);
    expect(setCookie(loggedOut, REFRESH)!.attributes.get('path')).toBe('/api/2fa/tokens');
    expect(client.http.cookies.has(REFRESH)).toBe(false);
    expect((await app.sessions.listSessions(userId)).map(({ id }) => id)).toEqual([other.sessionId]);
    expect((await app.sessions.refresh(cookie)).ok).toBe(false);
    expect((await app.bearer(answer.body.accessToken).get('/tokens/sessions')).body.error).toMatchObject({ code: 'token_invalid', reason: 'revoked' });
  });

  it('cross-site logout without the CSRF header is refused, and the session lives on', async () => {
    const { client, answer, userId } = await app.browser();
    const refused = await client.send('POST', '/tokens/logout', {}, { headers: { origin: 'https://evil.example', authorization: `Bearer ${answer.body.accessToken}` } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('csrf_invalid');
    expect(await app.sessions.listSessions(userId)).toHaveLength(1);
  });

  it('logout without the cookie takes the bearer access token, as in body mode', async () => {
    const { answer, userId } = await app.browser();
    expect((await app.bearer(answer.body.accessToken).post('/tokens/logout')).status).toBe(204);
    expect(await app.sessions.listSessions(userId)).toEqual([]);
    expect((await app.anonymous().post('/tokens/logout')).body.error.code).toBe('token_required');
  });

  it('a logout with the cookie of a session that already ended still deletes the cookies', async () => {
    const { client, answer, userId } = await app.browser();
    await app.sessions.revokeAll(userId);
    const loggedOut = await post(client, '/tokens/logout', answer.body.csrfToken);
    expect(loggedOut.status).toBe(204);
    expect(deletes(loggedOut, REFRESH)).toBe(true);
  });

  it("an expired session's refresh is refused and deletes the cookies", async () => {
    const { client, answer } = await app.browser();
    fixture.clock.advanceSeconds(14 * 86_400 + 1);
    const refused = await post(client, '/tokens/refresh', answer.body.csrfToken);
    expect(refused.body.error).toMatchObject({ code: 'token_invalid', reason: 'expired' });
    expect(deletes(refused, REFRESH) && deletes(refused, CSRF)).toBe(true);
  });
});

describeOnBackends("token sessions in 'both' mode, over plain HTTP for development", (fixture) => {
  const app = tokenApp(fixture, { tokenTransport: 'both', tokenCookie: { secure: false } });

  it('answers carry the refresh token in the JSON and the cookie; without Secure the cookies have no prefix', async () => {
    const { answer } = await app.browser();
    const refresh = setCookie(answer, 'otpkit-refresh')!;
    expect(refresh.value).toBe(answer.body.refreshToken);
    expect(refresh.attributes.has('secure')).toBe(false);
    expect(setCookie(answer, 'otpkit-csrf')!.value).toBe(answer.body.csrfToken);
    expect(answer.headers.getSetCookie().some((line) => line.startsWith('__'))).toBe(false);
  });

  it("a mobile client refreshes with the body's token and no CSRF token; a browser with the cookie and the CSRF token", async () => {
    const mobile = await app.browser();
    const fromBody = await app.anonymous().post('/tokens/refresh', { refreshToken: mobile.answer.body.refreshToken });
    expect(fromBody.status).toBe(200);
    const browser = await app.browser();
    expect((await post(browser.client, '/tokens/refresh')).body.error.code).toBe('csrf_invalid');
    const fromCookie = await post(browser.client, '/tokens/refresh', browser.answer.body.csrfToken);
    expect(fromCookie.status).toBe(200);
    expect(browser.client.http.cookies.get('otpkit-refresh')).toBe(fromCookie.body.refreshToken);
  });
});

describeOnBackends('token sessions in body mode (mobile apps)', (fixture) => {
  const app = tokenApp(fixture);

  it('mobile mode unchanged: no cookie is set, and the refresh token is read from the body only', async () => {
    const { answer } = await app.browser();
    expect(answer.headers.getSetCookie()).toEqual([]);
    expect(answer.body).not.toHaveProperty('csrfToken');
    const refreshed = await app.anonymous().post('/tokens/refresh', { refreshToken: answer.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.getSetCookie()).toEqual([]);
    expect(Object.keys(refreshed.body).sort()).toEqual(['accessToken', 'accessTokenExpiresAt', 'refreshToken', 'refreshTokenExpiresAt', 'sessionId', 'tokenType']);
    const cookieOnly = app.anonymous();
    cookieOnly.http.cookies.set('otpkit-refresh', refreshed.body.refreshToken);
    cookieOnly.http.cookies.set(REFRESH, refreshed.body.refreshToken);
    expect((await cookieOnly.post('/tokens/refresh', {})).body.error.code).toBe('invalid_request');
    expect((await cookieOnly.post('/tokens/logout', {})).body.error.code).toBe('token_required');
  });
});

it('token transport mistakes fail at start-up, naming the fix', () => {
  const sessions = Object.fromEntries(['clock', 'issue', 'verifyAccessToken', 'refresh', 'logout', 'logoutWithRefreshToken', 'logoutOthers', 'listSessions', 'revokeSession', 'revokeAll'].map((name) => [name, () => null])) as never;
  const api = (options: object) => () => twoFactorApi({ plugins: [] } as never, { tokenSessions: sessions, ...options });
  expect(api({ tokenTransport: 'cookies' })).toThrow(/tokenTransport must be 'body', 'cookie' or 'both'/);
  expect(api({ tokenTransport: 'cookie', tokenCookie: { secure: 'yes' } })).toThrow(/tokenCookie.secure must be true or false/);
  expect(api({ tokenTransport: 'cookie', tokenCookie: { sameSite: 'lax' } })).toThrow(/tokenCookie: unknown option "sameSite"/);
  expect(api({ tokenTransport: 'cookie', tokenCookie: { path: 'tokens' } })).toThrow(/tokenCookie.path must be a URL path/);
  expect(api({ tokenTransprot: 'cookie' })).toThrow(/unknown option "tokenTransprot" \(did you mean "tokenTransport"\?\)/);
  expect(() => twoFactorApi({ plugins: [] } as never, { tokenTransport: 'cookie' })).toThrow(/tokenTransport 'cookie' needs tokenSessions/);
  expect(() => tokenSender({ tokenSessions: sessions, tokenTransport: 'cookie' })).toThrow(/give tokenCookie.path, where twoFactorApi's token routes are/);
  expect(() => tokenSender({ tokenSessions: {} as never })).toThrow(/tokenSessions must be a TokenSessions/);
  expect(() => tokenSender({ tokenSessions: sessions, tokenTransport: 'body' })).not.toThrow();
});

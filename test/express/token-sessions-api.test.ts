import { expect, it } from 'vitest';
import { twoFactorApi } from '@otpkit/express';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { checker, ONE_FACTOR, tokenApp } from './support/token-app.js';

describeOnBackends('token sessions over the JSON API', (fixture) => {
  const app = tokenApp(fixture);

  it('refresh rotates over HTTP: a new pair that the guard accepts, and the old refresh token refused', async () => {
    const { userId, refreshToken, sessionId } = await app.signIn();
    fixture.clock.advanceSeconds(60);
    const refreshed = await app.anonymous().post('/tokens/refresh', { refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ tokenType: 'Bearer', sessionId });
    expect(refreshed.body.refreshToken).not.toBe(refreshToken);
    const listed = await app.bearer(refreshed.body.accessToken).get('/tokens/sessions');
    expect(listed.body.sessions).toEqual([expect.objectContaining({ id: sessionId, current: true })]);
    const again = await app.anonymous().post('/tokens/refresh', { refreshToken });
    expect(again.status).toBe(401);
    expect(again.body.error).toEqual({ code: 'token_invalid', message: 'The token is not valid; refresh it or sign in again', reason: 'invalid' });
    expect(await app.sessions.listSessions(userId)).toEqual([]);
  });

  it('refresh token reuse over HTTP revokes the session, answers like a forged token, and is only logged', async () => {
    const { refreshToken: stolen } = await app.signIn();
    const victim = await app.anonymous().post('/tokens/refresh', { refreshToken: stolen });
    app.warnings.length = 0;
    const thief = await app.anonymous().post('/tokens/refresh', { refreshToken: stolen });
    const forged = await app.anonymous().post('/tokens/refresh', { refreshToken: `${stolen.split('.')[0]}.${'A'.repeat(43)}` });
    expect(thief.body).toEqual(forged.body);
    expect(app.warnings).toEqual([expect.stringMatching(/refresh token already used was presented again.*its session is revoked/)]);
    expect(app.warnings.join()).not.toContain(stolen.split('.')[1]);
    const next = await app.anonymous().post('/tokens/refresh', { refreshToken: victim.body.refreshToken });
    expect(next.body.error).toMatchObject({ code: 'token_invalid', reason: 'revoked' });
    expect((await app.bearer(victim.body.accessToken).get('/tokens/sessions')).body.error).toMatchObject({ code: 'token_invalid', reason: 'revoked' });
  });

  it('refresh after the session expired from idleness: token_invalid, "expired"', async () => {
    const { refreshToken } = await app.signIn();
    fixture.clock.advanceSeconds(14 * 86_400 + 1);
    expect((await app.anonymous().post('/tokens/refresh', { refreshToken })).body.error).toMatchObject({ code: 'token_invalid', reason: 'expired' });
  });

  it('refresh with a missing, non-string or oversized token: 400 invalid_request, never a 500', async () => {
    for (const body of [{}, { refreshToken: 42 }, { refreshToken: 'x'.repeat(300) }]) {
      const answer = await app.anonymous().post('/tokens/refresh', body);
      expect(answer.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
    expect((await app.anonymous().post('/tokens/refresh', { refreshToken: 'garbage' })).body.error).toMatchObject({ code: 'token_invalid', reason: 'invalid' });
  });

  it('access token sent as a refresh token: refused as longer than any refresh token, and the session lives on', async () => {
    const { accessToken, userId, sessionId } = await app.signIn();
    const answer = await app.anonymous().post('/tokens/refresh', { refreshToken: accessToken });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    expect((await app.sessions.listSessions(userId)).map(({ id }) => id)).toEqual([sessionId]);
  });

  it('logout ends this session: its refresh token and its access token stop working', async () => {
    const { accessToken, refreshToken, userId } = await app.signIn();
    const other = await app.sessions.issue(userId, { amr: ['pwd', 'otp'], aal: 2 });
    expect((await app.bearer(accessToken).post('/tokens/logout')).status).toBe(204);
    expect((await app.anonymous().post('/tokens/refresh', { refreshToken })).body.error.reason).toBe('revoked');
    expect((await app.bearer(accessToken).post('/tokens/logout')).status).toBe(401);
    expect((await app.bearer(other.accessToken).get('/tokens/sessions')).body.sessions).toEqual([expect.objectContaining({ id: other.sessionId })]);
  });

  it('logout-others leaves exactly the current session', async () => {
    const { accessToken, sessionId, userId } = await app.signIn();
    const others = [await app.sessions.issue(userId, { amr: ['pwd'], aal: 1 }), await app.sessions.issue(userId, { amr: ['pwd'], aal: 1 })];
    const answer = await app.bearer(accessToken).post('/tokens/logout-others');
    expect(answer).toMatchObject({ status: 200, body: { revoked: 2 } });
    expect((await app.sessions.listSessions(userId)).map(({ id }) => id)).toEqual([sessionId]);
    for (const other of others) expect((await app.anonymous().post('/tokens/refresh', { refreshToken: other.refreshToken })).body.error.reason).toBe('revoked');
  });

  it('sessions list marks the current one and shows no secret', async () => {
    const first = await app.signIn();
    fixture.clock.advanceSeconds(1);
    const second = await app.sessions.issue(first.userId, { amr: ['pwd', 'hwk'], aal: 2, ip: '203.0.113.9', userAgent: 'AcmeApp/2.1' });
    const answer = await app.bearer(second.accessToken).get('/tokens/sessions');
    expect(answer.status).toBe(200);
    expect(answer.body.sessions).toEqual([
      expect.objectContaining({ id: second.sessionId, current: true, ip: '203.0.113.9', userAgent: 'AcmeApp/2.1', amr: ['pwd', 'hwk'], aal: 2 }),
      expect.objectContaining({ id: first.sessionId, current: false }),
    ]);
    const text = JSON.stringify(answer.body);
    for (const secret of [first.refreshToken, second.refreshToken, first.accessToken, second.accessToken]) expect(text).not.toContain(secret.split('.')[1]);
  });

  it("deleting another user's session: 404, and it keeps working", async () => {
    const mine = await app.signIn();
    const theirs = await app.signIn();
    const answer = await app.bearer(mine.accessToken).delete(`/tokens/sessions/${theirs.sessionId}`);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
    expect((await app.bearer(theirs.accessToken).get('/tokens/sessions')).body.sessions).toHaveLength(1);
    expect((await app.bearer(mine.accessToken).delete('/tokens/sessions/not-a-session-id')).status).toBe(404);
  });

  it('deletes one of the user’s own sessions', async () => {
    const mine = await app.signIn();
    const phone = await app.sessions.issue(mine.userId, { amr: ['pwd'], aal: 1 });
    expect((await app.bearer(mine.accessToken).delete(`/tokens/sessions/${phone.sessionId}`)).status).toBe(204);
    expect((await app.anonymous().post('/tokens/refresh', { refreshToken: phone.refreshToken })).body.error.reason).toBe('revoked');
  });

  it('session cookie without a bearer token: the token routes answer 401 token_required', async () => {
    const { userId } = await app.signIn();
    const cookie = await ApiClient.loggedIn(app.server.url, userId, checker);
    const answer = await cookie.get('/tokens/sessions');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="otpkit"');
    expect(answer.body.error.code).toBe('token_required');
  });

  it('expired access token on the token routes: 401 with the invalid_token challenge', async () => {
    const { accessToken } = await app.signIn();
    fixture.clock.advanceSeconds(601);
    const answer = await app.bearer(accessToken).get('/tokens/sessions');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="otpkit", error="invalid_token", error_description="The access token expired"');
  });

  /** What the app's `/tokens/strong` (aal 2) answers the access token: the status and the body. */
  const strongRoute = async (accessToken: string) => {
    const response = await fetch(`${app.server.url}/tokens/strong`, { headers: { authorization: `Bearer ${accessToken}` } });
    return { status: response.status, body: (await response.json()) as { token?: Record<string, unknown>; error?: { code: string } } };
  };

  /** Backup codes for `userId`: their device and its codes. */
  const backupCodes = async (userId: number) => {
    const enrolled = await app.otp.enroll('static', userId);
    if (!enrolled.ok) throw new Error('backup codes were not enrolled');
    return { device: enrolled.device, codes: (enrolled.display as { codes: string[] }).codes };
  };

  it('step-up: a one-factor session proves a second factor and becomes a new two-factor session; the old one ends', async () => {
    const { userId, accessToken, sessionId } = await app.signIn(ONE_FACTOR);
    const weak = await strongRoute(accessToken);
    expect([weak.status, weak.body.error?.code]).toEqual([401, 'step_up_required']);
    const { device, codes } = await backupCodes(userId);
    fixture.clock.advanceSeconds(60);
    const stepped = await app.bearer(accessToken).post('/tokens/step-up', { token: codes[0] });
    expect(stepped.status).toBe(200);
    expect(stepped.body.sessionId).not.toBe(sessionId);
    const strong = await strongRoute(stepped.body.accessToken);
    expect(strong.status).toBe(200);
    expect(strong.body.token).toMatchObject({ sub: String(userId), aal: 2, amr: ['pwd', 'otp'], auth_time: Math.floor(fixture.clock.now() / 1000) });
    expect((await fetch(`${app.server.url}/tokens/revocable`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(401);
    expect((await app.sessions.listSessions(userId)).map((session) => [session.id, session.aal, session.deviceId])).toEqual([[stepped.body.sessionId, 2, device.persistentId]]);
  });

  it('step-up with a wrong code: 400 invalid_token, and the session lives on as it was', async () => {
    const { userId, accessToken, sessionId } = await app.signIn(ONE_FACTOR);
    await backupCodes(userId);
    const refused = await app.bearer(accessToken).post('/tokens/step-up', { token: 'wrong-code-1' });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_token']);
    expect((await app.sessions.listSessions(userId)).map((session) => [session.id, session.aal])).toEqual([[sessionId, 1]]);
  });

  it('one factor counted twice: the device a session signed in with cannot step it up, named or matched', async () => {
    const { userId } = await app.signIn(ONE_FACTOR);
    const { device, codes } = await backupCodes(userId);
    const signedIn = await app.sessions.issue(userId, { ...ONE_FACTOR, deviceId: device.persistentId });
    const named = await app.bearer(signedIn.accessToken).post('/tokens/step-up', { token: codes[0], device: device.persistentId });
    expect([named.status, named.body.error.code]).toEqual([400, 'invalid_request']);
    const matched = await app.bearer(signedIn.accessToken).post('/tokens/step-up', { token: codes[1] });
    expect([matched.status, matched.body.error.code]).toEqual([400, 'invalid_request']);
    expect((await app.sessions.listSessions(userId)).find((session) => session.id === signedIn.sessionId)).toMatchObject({ aal: 1 });
  });

  it('exercises every documented success answer of the token routes', () => {
    const successes = checker.documented().filter((entry) => /\s2\d\d$/.test(entry) && entry.includes(' /tokens/'));
    expect(successes.length).toBe(6);
    expect(successes.filter((entry) => !checker.seen.has(entry))).toEqual([]);
  });
});

describeOnBackends('token sessions off', (fixture) => {
  const app = tokenApp(fixture, { tokenSessions: undefined });

  it('without tokenSessions the token routes are 404', async () => {
    const { accessToken, refreshToken } = await app.signIn();
    expect((await app.anonymous().post('/tokens/refresh', { refreshToken })).status).toBe(404);
    expect((await app.bearer(accessToken).get('/tokens/sessions')).status).toBe(404);
  });
});

it('twoFactorApi refuses a tokenSessions that is not one, naming the fix', () => {
  expect(() => twoFactorApi({ plugins: [] } as never, { tokenSessions: { refresh: () => null } as never })).toThrow(/tokenSessions must be a TokenSessions from @otpkit\/tokens \(createTokenSessions/);
});

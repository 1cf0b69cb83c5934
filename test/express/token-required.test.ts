import type { AddressInfo } from 'node:net';
import express from 'express';
import { expect, it } from 'vitest';
import { tokenRequired } from '@otpkit/express';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { ONE_FACTOR, tokenApp } from './support/token-app.js';

/** A GET of the test app with the given headers: status, `WWW-Authenticate` and the JSON body. */
async function get(url: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, url), { headers: { accept: 'application/json', ...headers } });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: (await response.json()) as any };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describeOnBackends('tokenRequired: the bearer access token guard', (fixture) => {
  const app = tokenApp(fixture);
  const call = (path: string, headers?: Record<string, string>) => get(app.server.url, path, headers);

  it('accepts a valid access token and gives the route its claims as req.token', async () => {
    const { userId, accessToken, sessionId } = await app.signIn();
    const answer = await call('/tokens/me', bearer(accessToken));
    expect(answer.status).toBe(200);
    expect(answer.body.token).toMatchObject({ sub: String(userId), sid: sessionId, aal: 2, amr: ['pwd', 'otp'] });
  });

  it('guards an API with no session and no otpMiddleware: a mobile app sends no cookie', async () => {
    const { accessToken } = await app.signIn();
    const bare = express();
    bare.get('/only-tokens', tokenRequired(app.sessions, { maxAge: 300 }), (req, res) => void res.json({ sub: req.token?.sub }));
    const server = bare.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const answer = await get(url, '/only-tokens', bearer(accessToken));
      expect(answer.status).toBe(200);
      expect(answer.body.sub).toEqual(expect.any(String));
      const refused = await fetch(`${url}/only-tokens`);
      expect([refused.status, refused.headers.get('set-cookie')]).toEqual([401, null]);
    } finally {
      server.close();
    }
  });

  it('takes the scheme in any case', async () => {
    const { accessToken } = await app.signIn();
    expect((await call('/tokens/me', { authorization: `bEaReR ${accessToken}` })).status).toBe(200);
  });

  it('no token: 401 token_required with a bare Bearer challenge', async () => {
    const answer = await call('/tokens/me');
    expect(answer).toEqual({ status: 401, challenge: 'Bearer realm="otpkit"', body: { error: { code: 'token_required', message: 'Send an access token: Authorization: Bearer <token>' } } });
  });

  it('token in the query string: ignored', async () => {
    const { accessToken } = await app.signIn();
    const answer = await call(`/tokens/me?access_token=${accessToken}`);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('token_required');
  });

  it('token under another scheme (Basic): treated as no token', async () => {
    const { accessToken } = await app.signIn();
    expect((await call('/tokens/me', { authorization: `Basic ${accessToken}` })).body.error.code).toBe('token_required');
  });

  it('two tokens, an empty Bearer, stray characters or an oversized header: 400 invalid_request', async () => {
    const { accessToken } = await app.signIn();
    for (const authorization of [`Bearer ${accessToken} ${accessToken}`, 'Bearer', 'Bearer abc"def', `Bearer ${'a'.repeat(9000)}`]) {
      const answer = await call('/tokens/me', { authorization });
      expect(answer.status, authorization.slice(0, 40)).toBe(400);
      expect(answer.challenge).toMatch(/^Bearer realm="otpkit", error="invalid_request"/);
      expect(answer.body.error.code).toBe('invalid_request');
    }
  });

  it('garbage token: 401 token_invalid with the invalid_token challenge', async () => {
    const answer = await call('/tokens/me', bearer('eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'));
    expect(answer).toEqual({
      status: 401,
      challenge: 'Bearer realm="otpkit", error="invalid_token", error_description="The access token is not valid"',
      body: { error: { code: 'token_invalid', message: 'The token is not valid; refresh it or sign in again', reason: 'invalid' } },
    });
  });

  it('token of another issuer or tampered payload: refused', async () => {
    const { accessToken } = await app.signIn();
    const [header, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: '999' })).toString('base64url')}.${signature}`;
    expect((await call('/tokens/me', bearer(forged))).body.error).toMatchObject({ code: 'token_invalid', reason: 'invalid' });
  });

  it('expired token: 401 token_invalid, "expired", at the injected clock', async () => {
    const { accessToken } = await app.signIn();
    fixture.clock.advanceSeconds(601);
    const answer = await call('/tokens/me', bearer(accessToken));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer realm="otpkit", error="invalid_token", error_description="The access token expired"');
    expect(answer.body.error.reason).toBe('expired');
  });

  it('revoked session: refused at once with checkRevoked, still accepted until exp without it', async () => {
    const { accessToken, sessionId } = await app.signIn();
    expect(await app.sessions.logout(sessionId)).toBe(true);
    const answer = await call('/tokens/revocable', bearer(accessToken));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer realm="otpkit", error="invalid_token", error_description="The access token was revoked"');
    expect(answer.body.error.reason).toBe('revoked');
    expect((await call('/tokens/me', bearer(accessToken))).status).toBe(200);
  });

  it('one-factor token on an aal-2 route: 401 step_up_required with insufficient_user_authentication and acr_values', async () => {
    const { accessToken } = await app.signIn(ONE_FACTOR);
    const answer = await call('/tokens/strong', bearer(accessToken));
    expect(answer).toEqual({
      status: 401,
      challenge: 'Bearer realm="otpkit", error="insufficient_user_authentication", error_description="Sign in with a second factor", acr_values="aal2"',
      body: { error: { code: 'step_up_required', message: 'Sign in again, more strongly or more recently, to do this', aal: 2 } },
    });
    const strong = await app.signIn();
    expect((await call('/tokens/strong', bearer(strong.accessToken))).status).toBe(200);
  });

  it('sign-in older than maxAge: step_up_required with max_age, even with an access token just refreshed', async () => {
    const { accessToken, refreshToken } = await app.signIn();
    expect((await call('/tokens/recent', bearer(accessToken))).status).toBe(200);
    fixture.clock.advanceSeconds(301);
    const refreshed = await app.sessions.refresh(refreshToken);
    if (!refreshed.ok) throw new Error(`refresh refused: ${refreshed.reason}`);
    const answer = await call('/tokens/recent', bearer(refreshed.accessToken));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer realm="otpkit", error="insufficient_user_authentication", error_description="Sign in again: the sign-in is too old for this", max_age=300');
    expect(answer.body.error).toMatchObject({ code: 'step_up_required', maxAge: 300 });
    expect((await call('/tokens/me', bearer(refreshed.accessToken))).status).toBe(200);
  });

  it('maxAge is measured from auth_time with no database read: a revoked session passes a maxAge route until its token expires, and fails where checkRevoked is on', async () => {
    const { accessToken, sessionId } = await app.signIn();
    await app.sessions.logout(sessionId);
    expect((await call('/tokens/recent', bearer(accessToken))).status).toBe(200);
    expect((await call('/tokens/revocable', bearer(accessToken))).body.error).toMatchObject({ code: 'token_invalid', reason: 'revoked' });
  });
});

it('configuration mistakes fail at start-up, naming the fix', () => {
  const sessions = { verifyAccessToken: async () => ({ ok: false, reason: 'invalid' }) } as never;
  expect(() => tokenRequired(sessions)).toThrow(/TokenSessions from @otpkit\/tokens/);
  const complete = Object.fromEntries(['clock', 'issue', 'verifyAccessToken', 'refresh', 'logout', 'logoutWithRefreshToken', 'logoutOthers', 'listSessions', 'revokeSession', 'revokeAll'].map((name) => [name, async () => null])) as never;
  expect(() => tokenRequired(complete, { aal: 3 as never })).toThrow(/aal must be 1 or 2/);
  expect(() => tokenRequired(complete, { maxAge: 0 })).toThrow(/maxAge must be a positive whole number of seconds/);
  expect(() => tokenRequired(complete, { checkRevoked: 'yes' as never })).toThrow(/checkRevoked must be true or false/);
  expect(() => tokenRequired(complete, { max_age: 300 } as never)).toThrow(/unknown option "max_age" \(did you mean "maxAge"\?\)/);
});

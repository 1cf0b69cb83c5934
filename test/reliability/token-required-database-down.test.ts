/**
 * tokenRequired with `checkRevoked` reads the access token's session on every request: while
 * PostgreSQL is stopped (a private cluster, `pg_ctl stop -m fast`), the guard answers 503
 * `storage_unavailable` with `Retry-After` itself, never a 500 from the app's error handler, never
 * the route; once the server is back, the same token passes again.
 */
import { createOtp, type Otp } from '@otpkit/core';
import { tokenRequired } from '@otpkit/express';
import { staticTokens } from '@otpkit/static';
import { createTokenSessions, generateSigningKey, type TokenSessions } from '@otpkit/tokens';
import express from 'express';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type TestServer } from '../../packages/express/src/test-support/test-server.js';
import { haveTools } from '../support/external-tools.js';
import { PrivatePostgres } from '../support/private-postgres.js';

describe.runIf(haveTools('postgres'))('tokenRequired while PostgreSQL is down', () => {
  let primary: PrivatePostgres;
  let knex: Knex;
  let otp: Otp;
  let sessions: TokenSessions;
  let server: TestServer;
  const routeRan: string[] = [];

  beforeAll(async () => {
    primary = await PrivatePostgres.start();
    knex = primary.knex('test', { min: 0, max: 4 });
    otp = createOtp({ knex, devices: [staticTokens()], logger: { warn: () => {} } });
    await otp.migrate();
    sessions = createTokenSessions(otp, { issuer: 'https://auth.example.test', audience: 'https://api.example.test', signingKeys: [generateSigningKey('EdDSA', 'k1')] });
    await sessions.migrate();
    const app = express();
    app.get('/revocable', tokenRequired(sessions, { checkRevoked: true }), (req, res) => {
      routeRan.push(String(req.token?.sub));
      res.json({ sub: req.token?.sub });
    });
    server = await serveApp(app);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await knex?.destroy();
    await primary?.destroy();
  });

  it('fail open or 500 on a revocation check with the database down: a 503 storage_unavailable with Retry-After, the route never runs', async () => {
    const { accessToken } = await sessions.issue('token-user', { amr: ['pwd', 'otp'], aal: 2 });
    const call = async () => {
      const response = await fetch(`${server.url}/revocable`, { headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` } });
      const text = await response.text();
      // Express's own error handler answers HTML: kept as text, so that the assertion shows it.
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
    };
    expect((await call()).status).toBe(200);
    routeRan.length = 0;

    await primary.stopServer();
    let whileDown: Awaited<ReturnType<typeof call>>;
    try {
      whileDown = await call();
    } finally {
      await primary.startServer();
    }
    expect(whileDown).toMatchObject({ status: 503, retryAfter: '5', body: { error: { code: 'storage_unavailable' } } });
    expect(routeRan).toEqual([]);

    expect(await call()).toMatchObject({ status: 200, body: { sub: 'token-user' } });
  }, 120_000);
});

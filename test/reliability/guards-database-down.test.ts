/**
 * The guards while PostgreSQL is stopped (a private cluster, `pg_ctl stop -m fast`): otpRequired
 * (which reads the user's devices for `ifConfigured`) and tokenRequired with `checkRevoked` (which
 * reads the access token's session) answer 503 `storage_unavailable` with `Retry-After` themselves,
 * never a 500 from the app's error handler and never the route; once the server is back, they
 * let the same requests through again. The one-page login, whose second factor only a right
 * password reaches, refuses both alike instead of telling the outage.
 */
import { createOtp, type Otp } from '@otpkit/core';
import { otpLoginRouter, otpRequired, tokenRequired } from '@otpkit/express';
import { staticTokens } from '@otpkit/static';
import { createTokenSessions, generateSigningKey, type TokenSessions } from '@otpkit/tokens';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { haveTools } from '../support/external-tools.js';
import { PrivatePostgres } from '../support/private-postgres.js';

/** An answer as the tests compare it: Express's own error handler answers HTML, kept as text so that a failure shows it. */
interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: unknown;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  const json = response.headers.get('content-type')?.startsWith('application/json') === true;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: json ? JSON.parse(text) : text };
}

describe.runIf(haveTools('postgres'))('the guards and the one-page login while PostgreSQL is down', () => {
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
    server = await startOtpApp(otp, knex, (app) => {
      app.get('/if-configured', otpRequired({ loginUrl: '/account/login', ifConfigured: true }), (req, res) => {
        routeRan.push(`if-configured ${req.otp.userId}`);
        res.json({ user: req.otp.userId });
      });
      // A one-page login whose passwords are not in the stopped database (a directory, another store).
      app.use('/separate', otpLoginRouter(otp, { authenticate: (username, password) => (username === 'separate' && password === 'separate-password' ? 'separate' : null), onePage: true }));
      app.get('/revocable', tokenRequired(sessions, { checkRevoked: true }), (req, res) => {
        routeRan.push(`revocable ${req.token?.sub}`);
        res.json({ sub: req.token?.sub });
      });
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await knex?.destroy();
    await primary?.destroy();
  });

  /** The answers of `calls` while the server is stopped; it is started again whatever happens. */
  async function whileDown(...calls: (() => Promise<Answer>)[]): Promise<Answer[]> {
    await primary.stopServer();
    try {
      const answers: Answer[] = [];
      for (const call of calls) answers.push(await call());
      return answers;
    } finally {
      await primary.startServer();
    }
  }

  it('fail open or 500 on a revocation check with the database down: tokenRequired answers 503 storage_unavailable with Retry-After, the route never runs', async () => {
    const { accessToken } = await sessions.issue('token-user', { amr: ['pwd', 'otp'], aal: 2 });
    const call = async () => answerOf(await fetch(`${server.url}/revocable`, { headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` } }));
    expect((await call()).status).toBe(200);
    routeRan.length = 0;

    const [down] = await whileDown(call);
    expect(down).toMatchObject({ status: 503, retryAfter: '5', body: { error: { code: 'storage_unavailable' } } });
    expect(routeRan).toEqual([]);
    expect(await call()).toMatchObject({ status: 200, body: { sub: 'token-user' } });
  }, 120_000);

  it("fail open or 500 on otpRequired's device check with the database down: a 503 page or storage_unavailable with Retry-After, the route never runs", async () => {
    const client = new HttpClient(server.url);
    await client.request('/test/login', { json: { userId: 'no-device-user' } });
    const call = async (accept: string) => answerOf(await client.request('/if-configured', { headers: { accept } }));
    expect((await call('application/json')).status).toBe(200);
    routeRan.length = 0;

    const [json, page] = await whileDown(
      () => call('application/json'),
      () => call('text/html'),
    );
    expect(json).toMatchObject({ status: 503, retryAfter: '5', body: { error: { code: 'storage_unavailable' } } });
    expect(page).toMatchObject({ status: 503, retryAfter: '5' });
    expect(page!.body).toContain('Temporarily unavailable');
    expect(routeRan).toEqual([]);
    expect(await call('application/json')).toMatchObject({ status: 200, body: { user: 'no-device-user' } });
  }, 120_000);

  it('password oracle via the one-page form while the database is down: a right password and a wrong one get the same refusal, and nobody is signed in', async () => {
    const enrolled = await otp.enroll('static', 'separate', { count: 2 });
    if (!enrolled.ok) throw new Error('backup codes were refused');
    const client = new HttpClient(server.url);
    const csrf = csrfOf(await (await client.request('/separate/login')).text());
    const post = async (password: string) => {
      const response = await client.request('/separate/login', { form: { _csrf: csrf, username: 'separate', password, otp_token: '12345678' } });
      const text = (await response.text()).replace(/name="_csrf" value="[^"]*"/, '');
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
    };
    const [wrongPassword, rightPassword] = await whileDown(
      () => post('not-the-password').then((answer) => ({ ...answer, body: answer.text })),
      () => post('separate-password').then((answer) => ({ ...answer, body: answer.text })),
    );
    expect(wrongPassword!.status).toBe(400);
    expect(rightPassword).toEqual(wrongPassword);
    expect((await client.getJson('/whoami')).body).toMatchObject({ userId: null, verified: false });
    // Back up, the right password and a backup code sign in.
    const code = (enrolled.display as { codes: string[] }).codes[0]!;
    const signedIn = await client.request('/separate/login', { form: { _csrf: csrf, username: 'separate', password: 'separate-password', otp_token: code } });
    expect(signedIn.status).toBe(303);
    expect((await client.getJson('/whoami')).body).toMatchObject({ userId: 'separate', verified: true });
  }, 120_000);
});

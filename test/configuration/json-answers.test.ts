import express from 'express';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, createOtp } from '@otpkit/core';
import { otpMiddleware, otpRequired, twoFactorApi } from '@otpkit/express';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { serveApp } from '../../packages/express/src/test-support/test-server.js';
import { oathtoolTotp } from '../express/support/oathtool.js';
import { usePluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from '../security/support/backends.js';
import { userWithoutDevice } from '../security/support/plugin-users.js';

/** RFC 6238's seed, `12345678901234567890`, as base32. */
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const devices = [totp(), staticTokens()];

describeOnBackends('JSON clients get JSON and a clear code for their mistakes', { devices }, (fixture) => {
  const app = usePluginApp(fixture, {
    configure: (server) => {
      server.get('/api-only', otpRequired({ json: true }), (_req, res) => void res.json({ ok: true }));
    },
  });

  /** A logged-in client of a new user with a confirmed authenticator app on {@link SECRET}. */
  async function userWithTotp() {
    const userId = await userWithoutDevice(app);
    const device = await app.otp.createDevice('totp', userId, { secret: SECRET, confirmed: true });
    return { userId, device, client: await ApiClient.loggedIn(app.server.url, userId) };
  }

  it('a token sent as a JSON number is 400 token_not_string, never a silent miss, and spends nothing of the budget', async () => {
    const { device, client } = await userWithTotp();
    fixture.clock.advanceSeconds(30);
    const code = oathtoolTotp(SECRET, fixture.clock.now());
    for (const body of [{ token: Number(code) }, { token: Number(code), device: device.persistentId }, { token: 12345 }]) {
      const answer = await client.post('/validate', body);
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'token_not_string', field: 'token' } } });
      expect(answer.body.error.message).toMatch(/^Send the token as a string/);
    }
    expect((await app.otp.deviceFromPersistentId(device.persistentId))!.throttlingFailureCount).toBe(0);
    expect(await client.post('/validate', { token: code, device: device.persistentId })).toMatchObject({ status: 200, body: { verified: true } });
  });

  it('a number sent to confirm a new device is token_not_string too, and the device stays unconfirmed', async () => {
    const { client } = await userWithTotp();
    fixture.clock.advanceSeconds(30);
    expect((await client.post('/validate', { token: oathtoolTotp(SECRET, fixture.clock.now()) })).status).toBe(200);
    const setup = await client.post('/devices/totp', { name: 'Second phone' });
    const secret = setup.body.secret.replace(/ /g, '');
    const answer = await client.post(`/devices/${setup.body.device.id}/confirm`, { token: Number(oathtoolTotp(secret, fixture.clock.now())) });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'token_not_string' } } });
    expect((await app.otp.deviceFromPersistentId(setup.body.device.id))!.confirmed).toBe(false);
  });

  it('rescue while it is off is 404 rescue_unavailable on both routes, saying so in the French catalog too', async () => {
    const { client } = await userWithTotp();
    expect(await client.post('/rescue')).toMatchObject({ status: 404, body: { error: { code: 'rescue_unavailable', message: 'Account recovery is not offered here' } } });
    expect(await client.post('/rescue/verify', { token: '123456' })).toMatchObject({ status: 404, body: { error: { code: 'rescue_unavailable' } } });
    const french = await client.send('POST', '/rescue', {}, { headers: { 'accept-language': 'fr' } });
    expect(french.body.error.message).toBe('La récupération du compte n’est pas proposée ici');
  });

  it('otpRequired({ json: true }) answers JSON 401 and 403 with the stable codes even to a client that asks for HTML', async () => {
    const { userId } = await userWithTotp();
    const asBrowser = async (client: ApiClient) => {
      const response = await client.http.request('/api-only', { headers: { accept: 'text/html' } });
      return { status: response.status, body: await response.json() };
    };
    expect(await asBrowser(new ApiClient(app.server.url))).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    const client = await ApiClient.loggedIn(app.server.url, userId);
    expect(await asBrowser(client)).toMatchObject({ status: 403, body: { error: { code: 'verification_required' } } });
    fixture.clock.advanceSeconds(30);
    expect((await client.post('/validate', { token: oathtoolTotp(SECRET, fixture.clock.now()) })).status).toBe(200);
    expect(await asBrowser(client)).toMatchObject({ status: 200, body: { ok: true } });
  });
});

describe('rescue by email without the email plugin', () => {
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  const otp = createOtp({ knex, devices: [totp(), staticTokens()], logger: () => {} });

  it('is a ConfigurationError at start-up naming the plugin to add, not no_rescue_address at the first rescue', () => {
    const make = () => twoFactorApi(otp, { rescue: { mode: 'email' } });
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(/no configured plugin has such devices: add email\(\{ transport, from \}\) from @otpkit\/email to createOtp's devices/);
  });
});

describe('a missing express-session', () => {
  it('is a ConfigurationError naming the fix, logged once, and every JSON route still answers JSON', async () => {
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    const otp = createOtp({ knex, devices: [totp(), staticTokens()], logger: () => {} });
    const warnings: string[] = [];
    const appErrors: unknown[] = [];
    const server = express();
    server.use(otpMiddleware(otp, { logger: (message) => warnings.push(message) }));
    server.use('/api/2fa', twoFactorApi(otp));
    server.get('/api-only', otpRequired({ json: true }), (_req, res) => void res.json({ ok: true }));
    server.get('/public', (_req, res) => void res.send('public'));
    server.get('/uses-state', (req, res) => void res.json({ verified: req.otp.isVerified() }));
    server.use(((error, _req, res, _next) => {
      appErrors.push(error);
      res.status(500).send('app error page');
    }) as express.ErrorRequestHandler);
    const running = await serveApp(server);
    try {
      const noAccept = { accept: '*/*' };
      for (const [method, path, body] of [['GET', '/api/2fa/devices', undefined], ['POST', '/api/2fa/validate', { token: '123456' }], ['GET', '/api-only', undefined]] as const) {
        const answer = await fetch(`${running.url}${path}`, { method, headers: { ...noAccept, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body && JSON.stringify(body) });
        expect(answer.status, path).toBe(500);
        expect(answer.headers.get('content-type'), path).toMatch(/^application\/json/);
        expect(((await answer.json()) as { error: { code: string } }).error.code, path).toBe('internal');
      }
      expect(warnings[0]).toBe('otpkit needs express-session: app.use(session(...)) before otpMiddleware');
      expect(warnings.filter((warning) => warning === warnings[0])).toHaveLength(1);
      expect(warnings.slice(1).every((warning) => warning.endsWith('otpkit needs express-session: app.use(session(...)) before otpMiddleware'))).toBe(true);

      // A route that does not use otpkit still works; one that reads req.otp gets the error with the fix.
      expect(await (await fetch(`${running.url}/public`)).text()).toBe('public');
      expect((await fetch(`${running.url}/uses-state`)).status).toBe(500);
      expect(appErrors).toEqual([expect.any(ConfigurationError)]);
      expect((appErrors[0] as Error).message).toBe('otpkit needs express-session: app.use(session(...)) before otpMiddleware');
    } finally {
      await running.close();
      await knex.destroy();
    }
  });
});

describe('otpRequired options', () => {
  it('a route that only answers JSON needs no loginUrl; any other does, and says so', () => {
    expect(() => otpRequired({ json: true })).not.toThrow();
    expect(() => otpRequired({})).toThrow(/otpRequired: loginUrl must be a path such as \/account\/login \(or give json: true for a route that only answers JSON\)/);
    expect(() => otpRequired({ loginUrl: '/login', json: 'yes' } as never)).toThrow(/otpRequired: json must be true/);
  });
});

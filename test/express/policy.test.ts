import { ConfigurationError, createOtp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { otpMiddleware } from '@otpkit/express';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { OpenApiChecker } from '../../packages/express/src/test-support/openapi-checker.js';
import { haveTools } from '../support/external-tools.js';
import { oathtoolTotp } from './support/oathtool.js';
import { usePolicyApp } from './support/policy-app.js';

const DAY_SECONDS = 86_400;
const GRACE_DAYS = 7;
const checker = new OpenApiChecker();

describe('otpMiddleware policy: configuration mistakes fail at start-up', () => {
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  const otp = createOtp({ knex, devices: [totp(), staticTokens(), email({ transport: 'smtp://127.0.0.1:9', from: 'otp@otpkit.test' })], logger: { warn() {} } });
  const require = () => 'required' as const;

  it.each([
    ['a misspelt key', { require, graceDay: 3 }, /otpMiddleware policy: unknown option "graceDay" \(did you mean "graceDays"\?\)/],
    ['no require function', { graceDays: 3 }, /policy.require must be a function/],
    ['negative grace', { require, graceDays: -1 }, /graceDays must be a whole number of days from 0 to 365/],
    ['fractional grace', { require, graceDays: 1.5 }, /graceDays must be a whole number/],
    ['an unconfigured type', { require, satisfiedBy: ['totp', 'sms'] }, /satisfiedBy names sms, not configured .*configured: totp, static, email/],
    ['no type at all', { require, satisfiedBy: [] }, /satisfiedBy must list device types/],
    ['an absolute enrolUrl', { require, enrolUrl: 'https://evil.example/enrol' }, /enrolUrl must be a path/],
  ])('%s is refused', (_case, policy, message) => {
    const make = () => otpMiddleware(otp, { policy } as never);
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(message);
  });

  it('the documented options are accepted', () => {
    expect(() => otpMiddleware(otp, { policy: { require, graceDays: 0, satisfiedBy: ['totp', 'static'], enrolUrl: '/settings/2fa' } })).not.toThrow();
    expect(() => otpMiddleware(otp, { policy: { require: async () => 'optional' as const } })).not.toThrow();
  });
});

describe.runIf(haveTools('oathtool'))('with oathtool', () => {
  describeOnBackends('otpMiddleware policy', (fixture) => {
    const { app, newUser, page, signIn, requireCalls } = usePolicyApp(fixture, { graceDays: GRACE_DAYS, satisfiedBy: ['totp', 'static'] });

    /** Enrols TOTP through the API (the session must be allowed to) and confirms it with oathtool's code. */
    async function enrolTotp(client: ApiClient): Promise<void> {
      const setup = await client.post('/devices/totp');
      expect(setup.status).toBe(201);
      fixture.clock.advanceSeconds(30);
      const confirmed = await client.post(`/devices/${setup.body.device.id}/confirm`, { token: oathtoolTotp(setup.body.secret, fixture.clock.now()) });
      expect(confirmed.status).toBe(200);
    }

    it('a required user with no device passes otpRequired routes within the grace period, reminded by OTPKit-Enrolment-Due', async () => {
      const { id: userId, username } = await newUser('required');
      const client = await ApiClient.loggedIn(app.server.url, userId, checker);
      const due = new Date(fixture.clock.now() + GRACE_DAYS * DAY_SECONDS * 1000).toISOString();
      const html = await page(client.http, '/guarded');
      expect(html.status).toBe(200);
      expect(html.headers.get('otpkit-enrolment-due')).toBe(due);
      const dashboard = await client.http.getJson('/dashboard');
      expect(dashboard.body.policy).toEqual({ required: true, satisfied: false, graceEndsAt: Date.parse(due), mustEnrol: false });
      const devices = await client.get('/devices');
      expect(devices.status).toBe(200);
      expect(devices.headers.get('otpkit-enrolment-due')).toBe(due);
      expect((await client.get('/browsers')).body.error.code).toBe('verification_required');
      // One call of the policy per request, however many ask (otpRequired, then the route).
      const before = requireCalls();
      await client.http.getJson('/dashboard');
      expect(requireCalls() - before).toBe(1);
      // The grace counts from the first time the policy applied, not from each request.
      fixture.clock.advanceSeconds(DAY_SECONDS);
      expect((await page(client.http, '/guarded')).headers.get('otpkit-enrolment-due')).toBe(due);
    });

    it('past the grace period a required user reaches no otpRequired route nor API route until they enrol', async () => {
      const { id: userId, username } = await newUser('required');
      const client = await ApiClient.loggedIn(app.server.url, userId, checker);
      expect((await page(client.http, '/guarded')).status).toBe(200);
      fixture.clock.advanceSeconds(GRACE_DAYS * DAY_SECONDS);

      for (const path of ['/guarded', '/step-up', '/dashboard']) {
        const html = await page(client.http, path);
        expect(html.status).toBe(303);
        expect(html.headers.get('location')).toBe(`/account/enrol?next=${encodeURIComponent(path)}`);
        const json = await client.http.getJson(path);
        expect(json.status).toBe(403);
        expect(json.body.error.code).toBe('enrolment_required');
      }
      for (const [method, path] of [['GET', '/browsers'], ['DELETE', '/browsers'], ['POST', '/rescue'], ['POST', '/devices/email']] as const) {
        const answer = await client.send(method, path, method === 'POST' ? {} : undefined);
        expect([method, path, answer.status, answer.body.error.code]).toEqual([method, path, 403, 'enrolment_required']);
      }
      expect((await client.get('/devices')).status).toBe(200);
      expect((await client.get('/methods')).status).toBe(200);

      await enrolTotp(client);
      expect(await client.whoami()).toMatchObject({ verified: true });
      expect((await page(client.http, '/guarded')).status).toBe(200);
      expect((await client.get('/browsers')).status).toBe(200);
      expect((await client.http.getJson('/dashboard')).body.policy).toEqual({ required: true, satisfied: true, graceEndsAt: null, mustEnrol: false });
    });

    it('a device of a type the policy does not accept (email) does not satisfy it: the user verifies with it, then must enrol another', async () => {
      const address = 'policy-email@otpkit.test';
      const { id: userId, username } = await newUser('required', address);
      const inbox = await app.otp.createDevice('email', userId, { confirmed: true, email: address });
      const client = await ApiClient.loggedIn(app.server.url, userId, checker);
      expect((await client.http.getJson('/guarded')).body.error.code).toBe('verification_required');
      fixture.clock.advanceSeconds((GRACE_DAYS + 1) * DAY_SECONDS);

      // Enrolling needs a recent verification, since the account has a device: the challenge and
      // the validation stay open for that.
      expect((await client.post('/devices/totp')).body.error.code).toBe('verification_required');
      expect((await client.post('/challenge', { device: inbox.persistentId })).status).toBe(200);
      expect((await client.post('/validate', { device: inbox.persistentId, token: app.smtp.lastTokenTo(address) })).status).toBe(200);
      expect((await client.http.getJson('/guarded')).body.error.code).toBe('enrolment_required');
      expect((await client.get('/browsers')).body.error.code).toBe('enrolment_required');

      await enrolTotp(client);
      expect((await client.http.getJson('/guarded')).status).toBe(200);
    });

    it('an optional user is never forced: no reminder, and otpRequired behaves as without a policy', async () => {
      const { id: userId, username } = await newUser('optional');
      const client = await ApiClient.loggedIn(app.server.url, userId, checker);
      fixture.clock.advanceSeconds(365 * DAY_SECONDS);
      const dashboard = await client.http.getJson('/dashboard');
      expect(dashboard.status).toBe(200);
      expect(dashboard.headers.get('otpkit-enrolment-due')).toBeNull();
      expect(dashboard.body.policy).toEqual({ required: false, satisfied: false, graceEndsAt: null, mustEnrol: false });
      const html = await page(client.http, '/guarded');
      expect(html.headers.get('location')).toBe('/account/login?next=%2Fguarded');
      expect((await client.get('/browsers')).body.error.code).toBe('verification_required');
      const signedIn = await signIn(new HttpClient(app.server.url), username, '/somewhere');
      expect(signedIn.headers.get('location')).toBe('/somewhere');
    });

    it('a required user with a satisfying device verifies as usual and is not reminded', async () => {
      const { id: userId, username } = await newUser('required');
      await app.otp.createDevice('totp', userId, { confirmed: true });
      const client = await ApiClient.loggedIn(app.server.url, userId, checker);
      fixture.clock.advanceSeconds(365 * DAY_SECONDS);
      const html = await page(client.http, '/guarded');
      expect(html.headers.get('location')).toBe('/account/login?next=%2Fguarded');
      expect(html.headers.get('otpkit-enrolment-due')).toBeNull();
      expect((await client.http.getJson('/dashboard')).body.error.code).toBe('verification_required');
    });

    it('after the password, a required user with no device is sent to the enrol page: "Remind me later" within the grace period, no way around after it', async () => {
      const { id: userId, username } = await newUser('required');
      const client = new HttpClient(app.server.url);
      const signedIn = await signIn(client, username, '/guarded');
      expect(signedIn.headers.get('location')).toBe('/account/enrol?next=%2Fguarded');
      const within = await (await page(client, '/account/enrol?next=%2Fguarded')).text();
      expect(within).toContain(`you have ${GRACE_DAYS} days left to set one up.`);
      expect(within).toContain('<a href="/guarded">Remind me later</a>');
      expect(within).toContain('id="method-totp" name="method" value="totp" aria-describedby="method-totp-hint" checked');
      expect(within).not.toContain('value="email"');
      expect((await page(client, '/guarded')).status).toBe(200);

      fixture.clock.advanceSeconds((GRACE_DAYS - 1) * DAY_SECONDS + 1);
      const lastDay = await (await page(client, '/account/enrol?next=%2Fguarded', { 'accept-language': 'fr' })).text();
      expect(lastDay).toContain('il vous reste 1 jour pour en configurer un.');
      expect(lastDay).toContain('Me le rappeler plus tard');

      fixture.clock.advanceSeconds(DAY_SECONDS);
      expect((await page(client, '/guarded')).headers.get('location')).toBe('/account/enrol?next=%2Fguarded');
      const past = await (await page(client, '/account/enrol?next=%2Fguarded')).text();
      expect(past).toContain('Your account must be protected by a second factor. Set one up to continue.');
      expect(past).not.toContain('Remind me later');
      // The token page, which this user cannot fill, sends them to enrol as well.
      expect((await page(client, '/account/verify?next=%2Fguarded')).headers.get('location')).toBe('/account/enrol?next=%2Fguarded');
    });

    it('the validate answer of a backup code says how many remain', async () => {
      const { id: userId, username } = await newUser('required');
      await app.otp.createDevice('totp', userId, { confirmed: true });
      const backup = await app.otp.enroll('static', userId, { count: 3 });
      if (!backup.ok) throw new Error('no backup codes');
      const client = await ApiClient.loggedIn(app.server.url, userId, checker);
      const validated = await client.post('/validate', { token: backup.display.codes[0] });
      expect(validated.status).toBe(200);
      expect(validated.body).toMatchObject({ verified: true, device: { type: 'static' }, backupCodesRemaining: 2 });
    });
  });
});

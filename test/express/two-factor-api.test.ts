import { describe, expect, it } from 'vitest';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { oathtoolTotp } from './support/oathtool.js';
import { OpenApiChecker } from '../../packages/express/src/test-support/openapi-checker.js';
import { usePluginApp } from './support/plugin-otp.js';
import { addUser } from '../../packages/express/src/test-support/users.js';
import { decodeQrDataUrl } from './support/zbarimg.js';
import { haveTools } from '../support/external-tools.js';

const checker = new OpenApiChecker();

describe.runIf(haveTools('oathtool', 'zbarimg'))('with oathtool and zbarimg', () => {
  describeOnBackends('twoFactorApi', (fixture) => {
    const app = usePluginApp(fixture, { api: { rescue: { mode: 'email' } } });
    let users = 0;

    async function newUser(email: string | null = null): Promise<number> {
      users += 1;
      return addUser(fixture.database.knex, `api-user-${users}`, 'password', email);
    }

    const session = (userId: number) => ApiClient.loggedIn(app.server.url, userId, checker);

    /** Enrols TOTP through the API and returns its base32 secret; the session ends up verified. */
    async function enrolTotp(client: ApiClient): Promise<{ secret: string; id: string }> {
      const setup = await client.post('/devices/totp', { name: 'Phone' });
      expect(setup.status).toBe(201);
      const secret = setup.body.secret.replace(/ /g, '');
      fixture.clock.advanceSeconds(30);
      const confirmed = await client.post(`/devices/${setup.body.device.id}/confirm`, { token: oathtoolTotp(secret, fixture.clock.now()) });
      expect(confirmed.status).toBe(200);
      return { secret, id: setup.body.device.id };
    }

    it('answers 401 unauthenticated without a session', async () => {
      const client = new ApiClient(app.server.url, checker);
      expect((await client.get('/devices')).body.error.code).toBe('unauthenticated');
      expect((await client.post('/validate', { token: '123456' })).status).toBe(401);
      expect((await client.post('/devices/totp')).status).toBe(401);
    });

    it('sets up TOTP: an otpauth URI, a QR code as SVG and as a PNG that decodes to it, and the grouped secret', async () => {
      const client = await session(await newUser());
      const setup = await client.post('/devices/totp', { name: 'Phone' });
      expect(setup.status).toBe(201);
      expect(setup.body.device).toMatchObject({ type: 'totp', name: 'Phone', confirmed: false });
      const uri = new URL(setup.body.otpauthUri);
      expect(uri.searchParams.get('issuer')).toBe('otpkit-test');
      expect(uri.searchParams.get('secret')).toBe(setup.body.secret.replace(/ /g, ''));
      expect(setup.body.secret).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
      expect(setup.body.qrSvg).toMatch(/^<svg/);
      expect(decodeQrDataUrl(setup.body.qrPng)).toBe(setup.body.otpauthUri);
    });

    it('confirms TOTP with a code computed by oathtool, verifying the session; a second confirm is a 409', async () => {
      const userId = await newUser();
      const client = await session(userId);
      const before = client.http.sessionId;
      const setup = await client.post('/devices/totp');
      const secret = setup.body.secret.replace(/ /g, '');
      const wrong = await client.post(`/devices/${setup.body.device.id}/confirm`, { token: '000000' === oathtoolTotp(secret, fixture.clock.now()) ? '111111' : '000000' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toMatchObject({ code: 'invalid_token', failureCount: 1, retryAfter: 1 });
      fixture.clock.advanceSeconds(30);
      const ok = await client.post(`/devices/${setup.body.device.id}/confirm`, { token: oathtoolTotp(secret, fixture.clock.now()) });
      expect(ok.status).toBe(200);
      expect(ok.body.device.confirmed).toBe(true);
      expect(client.http.sessionId).not.toBe(before);
      expect((await client.http.getJson('/whoami')).body).toMatchObject({ verified: true, device: setup.body.device.id });
      const reported = app.events.filter((e) => e.userId === String(userId));
      expect(reported.map((e) => `${e.type} ${e.deviceId}`)).toEqual([`deviceAdded ${setup.body.device.id}`, `failed ${setup.body.device.id}`, `deviceConfirmed ${setup.body.device.id}`]);
      expect(reported.every((e) => e.via === 'api' && e.ip === '127.0.0.1')).toBe(true);
      expect((await client.post(`/devices/${setup.body.device.id}/confirm`, { token: '123456' })).status).toBe(409);
      const list = await client.get('/devices');
      expect(list.body.devices).toEqual([expect.objectContaining({ id: setup.body.device.id, type: 'totp', confirmed: true, interactive: false })]);
    });

    it('needs a verified session to add a device once the user has one', async () => {
      const userId = await newUser();
      await enrolTotp(await session(userId));
      const passwordOnly = await session(userId);
      expect((await passwordOnly.post('/devices/totp')).body.error.code).toBe('verification_required');
      expect((await passwordOnly.post('/devices/static')).status).toBe(403);
      expect((await passwordOnly.post('/devices/email', { email: 'x@otpkit.test' })).status).toBe(403);
    });

    it('generates backup codes shown once, which log in once each', async () => {
      const userId = await newUser();
      const client = await session(userId);
      await enrolTotp(client);
      const generated = await client.post('/devices/static');
      expect(generated.status).toBe(201);
      expect(generated.body.codes).toHaveLength(10);
      const regenerated = await client.post('/devices/static');
      expect(regenerated.body.device.id).toBe(generated.body.device.id);
      const [code] = regenerated.body.codes;
      const reported = app.events.filter((e) => e.userId === String(userId));
      expect(reported.map((e) => e.type)).toEqual(['deviceAdded', 'deviceConfirmed', 'deviceAdded', 'backupCodesRegenerated']);
      expect(JSON.stringify(reported)).not.toContain(code);
      const other = await session(userId);
      expect((await other.post('/validate', { token: generated.body.codes[0] })).status).toBe(400);
      fixture.clock.advanceSeconds(2);
      const ok = await other.post('/validate', { token: code });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ verified: true, device: { id: generated.body.device.id }, remembered: false });
      fixture.clock.advanceSeconds(2);
      expect((await (await session(userId)).post('/validate', { token: code })).body.error.code).toBe('invalid_token');
    });

    it("enrols only configured types, and takes only the name and the fields a plugin lets users give", async () => {
      const client = await session(await newUser());
      expect((await client.post('/devices/hotp')).body.error.code).toBe('not_found');
      const imported = await client.post('/devices/totp', { name: 'Phone', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
      expect(imported.status).toBe(400);
      expect(imported.body.error).toMatchObject({ code: 'invalid_request', detail: 'Invalid fields: secret' });
      // A code of one's choosing would be as guessable as it is short, yet never throttled.
      expect((await client.post('/devices/static', { add: 'a' })).body.error.detail).toBe('Invalid fields: add');
      expect((await client.post('/devices/sms', { number: '+14155550100', confirmed: true })).body.error.detail).toBe('Invalid fields: confirmed');
      expect((await client.post('/devices/totp', { name: ' ' })).body.error.detail).toBe('Invalid fields: name');
      expect((await client.post('/devices/email', { email: 'two@otpkit.test, addresses@otpkit.test' })).body.error.code).toBe('invalid_request');
      expect((await client.get('/devices')).body.devices).toEqual([]);
    });

    it('keeps an enrolment in progress when the next one is refused, and discards it for the next one that is not', async () => {
      const client = await session(await newUser());
      const pending = await client.post('/devices/sms', { number: '+1 415 555 0142' });
      expect(pending.status).toBe(201);
      expect((await client.post('/devices/sms', { number: 'call me' })).status).toBe(400);
      expect((await client.get('/devices')).body.devices.map((d: { id: string }) => d.id)).toEqual([pending.body.device.id]);
      const next = await client.post('/devices/sms', { number: '+1 415 555 0143', name: 'Work phone' });
      expect(next.body).toMatchObject({ device: { type: 'sms', name: 'Work phone', confirmed: false }, message: 'sent by SMS' });
      expect((await client.get('/devices')).body.devices.map((d: { id: string }) => d.id)).toEqual([next.body.device.id]);
    });

    it('remembers the browser on request, so a new session of the same user is verified without a token', async () => {
      const userId = await newUser();
      const client = await session(userId);
      await enrolTotp(client);
      const { codes } = (await client.post('/devices/static')).body;
      const other = await session(userId);
      const ok = await other.post('/validate', { token: codes[0], remember: true });
      expect(ok.body.remembered).toBe(true);
      const later = await session(userId);
      later.http.cookies.set('otpkit_remember', other.http.cookies.get('otpkit_remember')!);
      expect((await later.http.getJson('/whoami')).body).toMatchObject({ verified: true, device: ok.body.device.id });
      expect((await later.delete(`/devices/${ok.body.device.id}`)).body.error.code).toBe('recent_verification_required');
      expect((await other.delete(`/devices/${ok.body.device.id}`)).status).toBe(204);
      const afterRemoval = await session(userId);
      afterRemoval.http.cookies.set('otpkit_remember', other.http.cookies.get('otpkit_remember')!);
      expect((await afterRemoval.http.getJson('/whoami')).body.verified).toBe(false);
    });

    it('throttles failed validations with a 429 and a Retry-After computed from the injected clock', async () => {
      const userId = await newUser();
      const { secret, id } = await enrolTotp(await session(userId));
      const client = await session(userId);
      const good = oathtoolTotp(secret, fixture.clock.now() + 30_000 * 5);
      const first = await client.post('/validate', { device: id, token: good === '000000' ? '111111' : '000000' });
      expect(first.body.error).toMatchObject({ code: 'invalid_token', failureCount: 1 });
      const locked = await client.post('/validate', { device: id, token: '999999' });
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('1');
      expect(locked.body.error).toMatchObject({ code: 'throttled', failureCount: 1, retryAfter: 1 });
      fixture.clock.advanceSeconds(1);
      await client.post('/validate', { device: id, token: '999999' });
      await client.post('/validate', { device: id, token: '999999' }); // locked: not counted
      fixture.clock.advance(500);
      const again = await client.post('/validate', { device: id, token: '999999' });
      expect(again.status).toBe(429);
      expect(again.headers.get('retry-after')).toBe('2');
      expect(app.events.filter((e) => e.userId === String(userId) && e.type === 'throttled')).toHaveLength(3);
    });

    it('sets up email: mails a code through SMTP, confirms it; challenges have a cooldown with Retry-After', async () => {
      const userId = await newUser();
      const client = await session(userId);
      const setup = await client.post('/devices/email', { email: 'inbox@otpkit.test', name: 'Inbox' });
      expect(setup.status).toBe(201);
      expect(setup.body).toMatchObject({ device: { type: 'email', confirmed: false, interactive: true }, message: 'sent by email' });
      const confirmed = await client.post(`/devices/${setup.body.device.id}/confirm`, { token: app.smtp.lastTokenTo('inbox@otpkit.test') });
      expect(confirmed.status).toBe(200);
      const other = await session(userId);
      const sent = await other.post('/challenge', { device: setup.body.device.id });
      expect(sent.status).toBe(200);
      expect(sent.body.validUntil).toBe(fixture.clock.now() + 300_000);
      fixture.clock.advanceSeconds(15);
      const cooling = await other.post('/challenge', { device: setup.body.device.id });
      expect(cooling.status).toBe(429);
      expect(cooling.headers.get('retry-after')).toBe('45');
      expect(cooling.body.error.code).toBe('cooldown');
      const ok = await other.post('/validate', { device: setup.body.device.id, token: app.smtp.lastTokenTo('inbox@otpkit.test') });
      expect(ok.status).toBe(200);
      expect(app.events.filter((e) => e.userId === String(userId) && e.type === 'challengeSent')).toHaveLength(2);
    });

    it('sets up SMS; a number the gateway refuses is a 502 and the device is not kept; a malformed one is a 400', async () => {
      const userId = await newUser();
      const client = await session(userId);
      const refused = await client.post('/devices/sms', { number: '+1 500 555 0001' });
      expect(refused.status).toBe(502);
      expect(refused.body.error.code).toBe('delivery_failed');
      expect((await client.get('/devices')).body.devices).toEqual([]);
      const malformed = await client.post('/devices/sms', { number: 'call me' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('invalid_request');
      const setup = await client.post('/devices/sms', { number: '+1 415 555 0100' });
      expect(setup.status).toBe(201);
      const confirmed = await client.post(`/devices/${setup.body.device.id}/confirm`, { token: app.sms.lastCodeTo('+14155550100') });
      expect(confirmed.body.device).toMatchObject({ type: 'sms', confirmed: true });
    });

    it('removes a device only after a recent verification, and reports it', async () => {
      const userId = await newUser();
      const client = await session(userId);
      const { secret, id } = await enrolTotp(client);
      fixture.clock.advanceSeconds(301);
      const stale = await client.delete(`/devices/${id}`);
      expect(stale.body.error.code).toBe('recent_verification_required');
      expect((await (await session(userId)).delete(`/devices/${id}`)).body.error.code).toBe('verification_required');
      const validated = await client.post('/validate', { token: oathtoolTotp(secret, fixture.clock.now()) });
      expect(validated.status).toBe(200);
      expect((await client.delete(`/devices/${id}`)).status).toBe(204);
      expect(app.events.at(-1)).toMatchObject({ type: 'deviceRemoved', userId: String(userId), deviceId: id, via: 'api' });
      expect((await client.http.getJson('/whoami')).body.verified).toBe(false);
    });

    it('treats another user\'s device as unknown (404)', async () => {
      const owner = await newUser();
      const { id } = await enrolTotp(await session(owner));
      const intruder = await session(await newUser());
      await enrolTotp(intruder);
      expect((await intruder.delete(`/devices/${id}`)).body.error.code).toBe('device_not_found');
      expect((await intruder.post(`/devices/${id}/confirm`, { token: '123456' })).status).toBe(404);
      expect((await intruder.post('/challenge', { device: id })).status).toBe(404);
      expect((await intruder.post('/validate', { device: id, token: '123456' })).status).toBe(404);
      expect((await intruder.delete('/devices/totp/999999')).status).toBe(404);
    });

    describe('rescue by email', () => {
      it('mails a code to a confirmed address of the user and verifies the session with it (method rescue)', async () => {
        const userId = await newUser('account@otpkit.test');
        const first = await session(userId);
        const setup = await first.post('/devices/email', { email: 'lost@otpkit.test' });
        expect((await first.post(`/devices/${setup.body.device.id}/confirm`, { token: app.smtp.lastTokenTo('lost@otpkit.test') })).status).toBe(200);
        fixture.clock.advanceSeconds(61);
        const client = await session(userId);
        const started = await client.post('/rescue');
        expect(started.status).toBe(202);
        expect(started.body).toMatchObject({ mode: 'email', device: { id: setup.body.device.id, confirmed: true } });
        const token = app.smtp.lastTokenTo('lost@otpkit.test');
        expect((await client.post('/rescue/verify', { token: token === '000000' ? '111111' : '000000' })).status).toBe(400);
        fixture.clock.advanceSeconds(2);
        const done = await client.post('/rescue/verify', { token });
        expect(done.status).toBe(200);
        expect((await client.http.getJson('/whoami')).body.verified).toBe(true);
        expect((await app.otp.devicesForUser(userId)).map((d) => d.persistentId)).toEqual([setup.body.device.id]);
      });

      it('is a 409 without a confirmed address, and a 404 when no rescue was started', async () => {
        const client = await session(await newUser('nobody@otpkit.test'));
        expect((await client.post('/rescue')).body.error.code).toBe('no_rescue_address');
        expect((await client.post('/rescue/verify', { token: '123456' })).body.error.code).toBe('device_not_found');
      });
    });

    it('lists remembered browsers to a verified session and revokes them one by one or all at once', async () => {
      const userId = await newUser();
      const client = await session(userId);
      const { secret } = await enrolTotp(client);
      expect((await (await session(userId)).get('/browsers')).body.error.code).toBe('verification_required');
      const browsers: ApiClient[] = [];
      for (let count = 0; count < 3; count += 1) {
        const browser = await session(userId);
        fixture.clock.advanceSeconds(30);
        expect((await browser.post('/validate', { token: oathtoolTotp(secret, fixture.clock.now()), remember: true })).body.remembered).toBe(true);
        browsers.push(browser);
      }
      const listed = await browsers[0]!.get('/browsers');
      expect(listed.status).toBe(200);
      expect(listed.body.browsers).toHaveLength(3);
      expect(listed.body.browsers.filter((b: { current: boolean }) => b.current)).toHaveLength(1);
      expect((await browsers[0]!.delete(`/browsers/${listed.body.browsers[0].id}`)).status).toBe(204);
      expect((await browsers[0]!.delete(`/browsers/${listed.body.browsers[0].id}`)).body.error.code).toBe('not_found');
      expect((await browsers[0]!.delete('/browsers/not-a-number')).status).toBe(404);
      expect((await browsers[0]!.delete('/browsers')).status).toBe(204);
      expect((await browsers[0]!.get('/browsers')).body.browsers).toEqual([]);
    });

    describe('bad input', () => {
      it('never answers 500: malformed JSON, wrong types, huge bodies, wrong media types, unknown paths', async () => {
        const client = await session(await newUser());
        const json = { 'content-type': 'application/json' };
        expect((await client.send('POST', '/validate', undefined, { body: '{"token":', headers: json })).body.error.code).toBe('malformed_json');
        expect((await client.send('POST', '/validate', undefined, { body: '[1,2]', headers: json })).body.error.code).toBe('invalid_request');
        expect((await client.send('POST', '/validate', undefined, { body: '"text"', headers: json })).body.error.code).toBe('malformed_json');
        const numeric = await client.post('/validate', { token: 123456 });
        expect(numeric).toMatchObject({ status: 400, body: { error: { code: 'token_not_string', field: 'token' } } });
        const wrongType = await client.post('/validate', { token: true });
        expect(wrongType.body.error).toMatchObject({ code: 'invalid_request', detail: 'Invalid fields: token' });
        expect((await client.post('/validate', { token: 'x'.repeat(5000) })).status).toBe(400);
        expect((await client.post('/validate', { token: 'x'.repeat(40_000) })).body.error.code).toBe('payload_too_large');
        expect((await client.send('POST', '/validate', undefined, { body: 'token=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
        expect((await client.send('POST', '/devices/totp', undefined, { body: '{}', headers: { 'content-type': 'application/json; charset=klingon' } })).status).toBe(415);
        expect((await client.post('/challenge', { device: '../../etc/passwd' })).status).toBe(404);
        expect((await client.post('/validate', { token: '12 34 56', device: 'nope/1' })).status).toBe(404);
        expect((await client.http.request('/api/2fa/nothing-here', { headers: { accept: 'application/json' } })).status).toBe(404);
        expect((await client.delete('/devices/totp/%E0%A4%A')).body.error.code).toBe('invalid_request');
        expect((await client.post('/devices/totp/abc/confirm', { token: '123456' })).status).toBe(404);
      });
    });

    it('exercises every documented success answer (passkey sign-in: in webauthn-api.test.ts; token sessions: in token-sessions-api.test.ts; sign-in: in sign-in-api.test.ts; methods: in method-choice.test.ts)', () => {
      const elsewhere = [' /passkey/', ' /tokens/', ' /signin/', ' /methods ', ' /preferred-device '];
      const successes = checker.documented().filter((entry) => /\s2\d\d$/.test(entry) && !elsewhere.some((path) => entry.includes(path)));
      expect(successes.filter((entry) => !checker.seen.has(entry))).toEqual([]);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { haveTools } from '../support/external-tools.js';
import { oathtoolTotp } from './support/oathtool.js';
import { usePolicyApp } from './support/policy-app.js';
import { decodeQrDataUrl } from './support/zbarimg.js';

const DAY_SECONDS = 86_400;

/** The backup codes a page lists. */
const codesOf = (page: string) => [...page.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((match) => match[1]!);

describe.runIf(haveTools('oathtool', 'zbarimg'))('with oathtool and zbarimg', () => {
  describeOnBackends('the enrolment pages of the login views', (fixture) => {
    const { app, newUser, page, postForm, signIn } = usePolicyApp(fixture, { graceDays: 3, satisfiedBy: ['totp', 'static'] });

    /** The text of a page, asserting its status. */
    async function text(response: Response, status = 200): Promise<string> {
      expect(response.status).toBe(status);
      return response.text();
    }

    it('enrols an authenticator app: the QR code and key once, a wrong code asks again without them, the first right code verifies and backup codes follow', async () => {
      const { id, username } = await newUser('required');
      const client = new HttpClient(app.server.url);
      expect((await signIn(client, username, '/guarded')).headers.get('location')).toBe('/account/enrol?next=%2Fguarded');
      const setup = await text(await postForm(client, '/account/enrol?next=%2Fguarded', '/account/enrol', { method: 'totp', next: '/guarded' }));
      const qr = /<img src="(data:image\/png;base64,[^"]+)" alt="QR code to scan with your authenticator app"/.exec(setup)![1]!;
      const key = /<code id="otp_key">([A-Z2-7 ]+)<\/code>/.exec(setup)![1]!;
      const uri = new URL(decodeQrDataUrl(qr));
      expect(uri.searchParams.get('secret')).toBe(key.replace(/ /g, ''));
      const device = /name="device" value="(totp\/\d+)"/.exec(setup)![1]!;

      const wrong = await text(await client.request('/account/enrol/confirm', { form: { _csrf: csrfOf(setup), device, otp_token: '000000', next: '/guarded' } }), 400);
      expect(wrong).toContain('Invalid token. Please make sure you have entered it correctly.');
      expect(wrong).toContain('aria-invalid="true"');
      expect(wrong).not.toContain(key);
      expect(wrong).not.toContain('data:image/png');

      fixture.clock.advanceSeconds(30);
      const confirmed = await text(
        await client.request('/account/enrol/confirm', { form: { _csrf: csrfOf(wrong), device, otp_token: oathtoolTotp(key, fixture.clock.now()), next: '/guarded' } }),
      );
      expect(confirmed).toContain('Two-factor authentication is on.');
      const codes = codesOf(confirmed);
      expect(codes).toHaveLength(10);
      const done = await client.request('/account/enrol/done', { form: { _csrf: csrfOf(confirmed), next: '/guarded' } });
      expect(done.headers.get('location')).toBe('/guarded');
      expect((await client.getJson('/guarded')).body).toEqual({ verified: true, policy: { required: true, satisfied: true, graceEndsAt: null, mustEnrol: false } });

      // The codes shown are the user's, and the enrolment is over: posting the code again goes on.
      expect((await app.otp.verify(id, (await app.otp.devicesForUser(id)).find((d) => d.deviceType === 'static')!.persistentId, codes[0]!)).ok).toBe(true);
      const again = await client.request('/account/enrol/confirm', { form: { _csrf: csrfOf(confirmed), device, otp_token: '000000', next: '/guarded' } });
      expect(again.headers.get('location')).toBe('/guarded');
    });

    it('a user who already has a device verifies with it before enrolling here', async () => {
      const address = 'enrol-inbox@otpkit.test';
      const { id, username } = await newUser('required', address);
      const inbox = await app.otp.createDevice('email', id, { confirmed: true, email: address });
      const client = new HttpClient(app.server.url);
      // After the password: the token step first, then the enrol page.
      expect((await signIn(client, username, '/guarded')).headers.get('location')).toBe(`/account/verify?next=${encodeURIComponent('/account/enrol?next=%2Fguarded')}`);
      expect((await page(client, '/account/enrol?next=%2Fguarded')).headers.get('location')).toBe(`/account/verify?next=${encodeURIComponent('/account/enrol?next=%2Fguarded')}`);
      const refused = await postForm(client, '/account/verify', '/account/enrol', { method: 'totp', next: '/guarded' });
      expect(refused.headers.get('location')).toBe(`/account/verify?next=${encodeURIComponent('/account/enrol?next=%2Fguarded')}`);
      expect(await app.otp.devicesForUser(id, { confirmed: false })).toEqual([]);

      const next = '/account/enrol?next=%2Fguarded';
      await postForm(client, `/account/verify?next=${encodeURIComponent(next)}`, '/account/verify', { otp_device: inbox.persistentId, otp_challenge: '1', next });
      const verified = await postForm(client, `/account/verify?next=${encodeURIComponent(next)}`, '/account/verify', { otp_device: inbox.persistentId, otp_token: app.smtp.lastTokenTo(address), next });
      expect(verified.headers.get('location')).toBe(next);
      const choice = await text(await page(client, next));
      expect(choice).toContain('you have 3 days left to set one up.');
      expect(choice).toContain('<a href="/guarded">Remind me later</a>');
    });

    it('an optional user with no device, sent to the token page, is offered to enrol rather than a dead end', async () => {
      const { username } = await newUser('optional');
      const client = new HttpClient(app.server.url);
      expect((await signIn(client, username, '/guarded')).headers.get('location')).toBe('/guarded');
      expect((await page(client, '/guarded')).headers.get('location')).toBe('/account/login?next=%2Fguarded');
      expect((await page(client, '/account/login?next=%2Fguarded')).headers.get('location')).toBe('/account/verify?next=%2Fguarded');
      expect((await page(client, '/account/verify?next=%2Fguarded')).headers.get('location')).toBe('/account/enrol?next=%2Fguarded');
      const choice = await text(await page(client, '/account/enrol?next=%2Fguarded'));
      expect(choice).toContain('Protect your account with a second factor');
      expect(choice).not.toContain('Remind me later');
    });

    it('refuses the enrol forms without their CSRF token, and an unknown method', async () => {
      const { username } = await newUser('required');
      const client = new HttpClient(app.server.url);
      await signIn(client, username, '/guarded');
      expect((await client.request('/account/enrol', { form: { method: 'totp' } })).status).toBe(403);
      expect((await client.request('/account/enrol/confirm', { form: { device: 'totp/1', otp_token: '123456' } })).status).toBe(403);
      const unknown = await postForm(client, '/account/enrol', '/account/enrol', { method: 'email' });
      expect(unknown.status).toBe(400);
      expect(await unknown.text()).toContain('This field is required.');
    });

    it('after a sign-in with a backup code, says how many remain; at 2 or fewer warns and offers new codes, which replace the old ones', async () => {
      const { id, username } = await newUser('required');
      await app.otp.createDevice('totp', id, { confirmed: true });
      const enrolled = await app.otp.enroll('static', id, { count: 4 });
      if (!enrolled.ok) throw new Error('no backup codes');
      const codes = enrolled.display.codes;

      const signInWithCode = async (code: string, locale = 'en') => {
        const client = new HttpClient(app.server.url);
        client.headers['accept-language'] = locale;
        await signIn(client, username, '/guarded');
        const verified = await postForm(client, '/account/verify?next=%2Fguarded', '/account/verify', { otp_token: code, next: '/guarded' });
        expect(verified.headers.get('location')).toBe('/account/backup-codes?next=%2Fguarded');
        return { client, notice: await text(await page(client, '/account/backup-codes?next=%2Fguarded')) };
      };

      const first = await signInWithCode(codes[0]!);
      expect(first.notice).toContain('<p role="status">You have 3 backup codes left.</p>');
      expect(first.notice).toContain('<a href="/guarded">Continue</a>');
      const second = await signInWithCode(codes[1]!, 'fr');
      expect(second.notice).toContain('<div class="errors" role="alert"><p>Il vous reste 2 codes de secours.</p>');
      expect(second.notice).toContain('Vous n’avez presque plus de codes de secours.');

      const renewed = await text(await second.client.request('/account/backup-codes', { form: { _csrf: csrfOf(second.notice), next: '/guarded' } }));
      expect(codesOf(renewed)).toHaveLength(10);
      expect(renewed).not.toContain('Two-factor authentication is on.');
      const staticDevice = (await app.otp.devicesForUser(id)).find((device) => device.deviceType === 'static')!;
      expect((await app.otp.verify(id, staticDevice.persistentId, codes[2]!)).ok).toBe(false);
      expect((await app.otp.verify(id, staticDevice.persistentId, codesOf(renewed)[0]!)).ok).toBe(true);
      expect(app.events.filter((event) => event.type === 'backupCodesRegenerated' && event.userId === String(id))).toHaveLength(1);

      // The notice is for a session verified with a backup code: others go straight on.
      const other = new HttpClient(app.server.url);
      await signIn(other, username, '/guarded');
      expect((await page(other, '/account/backup-codes?next=%2Fguarded')).headers.get('location')).toBe('/guarded');
    });

    it('past the grace period the enrol page offers no way around', async () => {
      const { username } = await newUser('required');
      const client = new HttpClient(app.server.url);
      await signIn(client, username, '/guarded');
      fixture.clock.advanceSeconds(3 * DAY_SECONDS);
      const choice = await text(await page(client, '/account/enrol?next=%2Fguarded'));
      expect(choice).toContain('<p role="alert">Your account must be protected by a second factor. Set one up to continue.</p>');
      expect(choice).not.toContain('Remind me later');
      expect(choice).toContain('Sign out');
      const signedOut = await postForm(client, '/account/enrol', '/account/logout', {});
      expect(signedOut.headers.get('location')).toBe('/account/login');
    });
  });
});

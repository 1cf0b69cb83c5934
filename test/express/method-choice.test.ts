import { describe, expect, it } from 'vitest';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { OpenApiChecker } from '../../packages/express/src/test-support/openapi-checker.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { addUser } from '../../packages/express/src/test-support/users.js';
import { usePluginApp } from './support/plugin-otp.js';

const checker = new OpenApiChecker();

/** The hidden device field of the page's code form. */
const formDevice = (page: string) => /<input type="hidden" name="otp_device" value="([^"]+)">\n<label for="otp_token">/.exec(page)?.[1];

describeOnBackends('choice of method (tf-select)', (fixture) => {
  const app = usePluginApp(fixture);
  let users = 0;

  /** A user with an authenticator app, a phone, an inbox and backup codes (added in that order of kinds, backwards). */
  async function userWithEveryMethod() {
    users += 1;
    const name = `chooser-${users}`;
    const phone = `+1415555${String(1000 + users).padStart(4, '0')}`;
    const address = `carol.${users}@otpkit.test`;
    const id = await addUser(fixture.database.knex, name, 'pw');
    const backup = await app.otp.enroll('static', id);
    if (!backup.ok) throw new Error(backup.reason);
    const inbox = await app.otp.createDevice('email', id, { name: 'Inbox', email: address, confirmed: true });
    const mobile = await app.otp.createDevice('sms', id, { name: 'Mobile', number: phone, confirmed: true });
    const authenticator = await app.otp.createDevice('totp', id, { name: 'Phone', confirmed: true });
    const ids = { totp: authenticator.persistentId, sms: mobile.persistentId, email: inbox.persistentId, static: backup.device.persistentId };
    return { id, name, phone, address, ids, codes: [...backup.display.codes] };
  }

  /** A client signed in with the password, on the token step. */
  async function signedIn(name: string, headers: Record<string, string> = {}): Promise<HttpClient> {
    const client = new HttpClient(app.server.url);
    Object.assign(client.headers, headers);
    const login = await (await client.request('/account/login')).text();
    const answer = await client.request('/account/login', { form: { _csrf: csrfOf(login), username: name, password: 'pw' } });
    expect(answer.headers.get('location')).toBe('/account/verify?next=%2F');
    return client;
  }

  const page = async (client: HttpClient, path: string) => {
    const response = await client.request(path);
    expect(response.status).toBe(200);
    return response.text();
  };

  async function post(client: HttpClient, form: Record<string, string>) {
    const csrf = csrfOf(await page(client, '/account/verify'));
    const response = await client.request('/account/verify', { form: { _csrf: csrf, ...form } });
    return { status: response.status, location: response.headers.get('location'), text: await response.text() };
  }

  describe('the token page', () => {
    it('shows the authenticator app first, with the ways to switch, never a whole number or address', async () => {
      const user = await userWithEveryMethod();
      const client = await signedIn(user.name);
      const html = await page(client, '/account/verify');
      expect(formDevice(html)).toBe(user.ids.totp);
      expect(html).toContain('<label for="otp_token">Verification code</label>');
      expect(html).toContain('The code your authenticator app (Phone) shows now.');
      expect(html).toContain(`<a href="/account/verify?device=${encodeURIComponent(user.ids.static)}&amp;next=%2F">Use a backup code instead</a>`);
      expect(html).toContain(`Send me a code instead: Text message to •••${user.phone.slice(-2)}`);
      expect(html).toContain(`Send me a code instead: Email to c•••@otpkit.test`);
      expect(html).toContain('<a href="/account/verify?choose=1&amp;next=%2F">Use another method</a>');
      expect(html).toContain('Make this my default method');
      expect(html).not.toContain(user.phone.slice(2));
      expect(html).not.toContain(user.address);
      expect(html).not.toContain('Any of my devices');
    });

    it('shows the method the query names, only when it is one of the user\'s own', async () => {
      const user = await userWithEveryMethod();
      const other = await userWithEveryMethod();
      const client = await signedIn(user.name);
      const text = await page(client, `/account/verify?device=${encodeURIComponent(user.ids.sms)}`);
      expect(formDevice(text)).toBe(user.ids.sms);
      expect(text).toContain(`We text a code to •••${user.phone.slice(-2)} when you ask for one.`);
      expect(text).toContain('>Send me a code</button>');
      expect(text).not.toContain('Send me a code instead: Text message');
      const backup = await page(client, `/account/verify?device=${encodeURIComponent(user.ids.static)}`);
      expect(formDevice(backup)).toBe(user.ids.static);
      expect(backup).toContain('<label for="otp_token">Backup code</label>');
      expect(backup).not.toContain('Use a backup code instead');
      for (const query of [`device=${encodeURIComponent(other.ids.sms)}`, 'device=nope%2F1', 'device[]=x', 'device=%E0%A4%A', `device=${'x'.repeat(5000)}`]) {
        const response = await client.request(`/account/verify?${query}`);
        expect(response.status, query).toBeLessThan(500);
        if (response.status === 200) expect(formDevice(await response.text()), query).toBe(user.ids.totp);
      }
    });

    it('lists every method by kind on "Use another method"', async () => {
      const user = await userWithEveryMethod();
      const client = await signedIn(user.name);
      const html = await page(client, '/account/verify?choose=1');
      expect(html).toContain('<h1>Choose how to verify</h1>');
      const labels = [...html.matchAll(/<li><a href="\/account\/verify\?device=([^&]+)&amp;next=%2F">([^<]+)<\/a>/g)].map((m) => `${decodeURIComponent(m[1]!)} ${m[2]}`);
      expect(labels).toEqual([
        `${user.ids.totp} Authenticator app (Phone)`,
        `${user.ids.sms} Text message to •••${user.phone.slice(-2)}`,
        `${user.ids.email} Email to c•••@otpkit.test`,
        `${user.ids.static} Backup codes`,
      ]);
      expect(html).not.toContain('(your default)');
    });

    it('sends the code of the device chosen instead, then verifies with it; "make this my default" puts it first next time', async () => {
      const user = await userWithEveryMethod();
      const client = await signedIn(user.name);
      const sent = await post(client, { otp_device: user.ids.sms, otp_challenge: '1' });
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('OTP Challenge: sent by SMS');
      expect(formDevice(sent.text)).toBe(user.ids.sms);
      expect(sent.text).toContain('>Send a new code</button>');
      const verified = await post(client, { otp_device: user.ids.sms, otp_token: app.sms.lastCodeTo(user.phone), prefer: '1' });
      expect(verified.location).toBe('/');
      expect((await app.otp.userSettings.get(user.id)).preferredDevice).toBe(user.ids.sms);
      const changed = app.events.filter((event) => event.type === 'preferredDeviceChanged' && event.userId === String(user.id));
      expect(changed).toEqual([expect.objectContaining({ deviceId: user.ids.sms, via: 'views', ip: '127.0.0.1' })]);

      const again = await signedIn(user.name);
      const html = await page(again, '/account/verify');
      expect(formDevice(html)).toBe(user.ids.sms);
      expect(html).not.toContain('Make this my default method');
      expect(html).toContain('Send me a code instead: Email to');
      const list = await page(again, '/account/verify?choose=1');
      expect(list).toMatch(new RegExp(`<ul class="methods">\\n<li><a href="/account/verify\\?device=${encodeURIComponent(user.ids.sms)}&amp;next=%2F">Text message to •••\\d\\d</a> <span class="hint">\\(your default\\)</span>`));
    });

    it('does not change the preference without the box ticked, nor on a failed verification', async () => {
      const user = await userWithEveryMethod();
      const client = await signedIn(user.name);
      const wrong = await post(client, { otp_device: user.ids.static, otp_token: 'WRONGCODE1', prefer: '1' });
      expect(wrong.status).toBe(400);
      expect(formDevice(wrong.text)).toBe(user.ids.static);
      expect(wrong.text).toContain('aria-invalid="true"');
      const ok = await post(client, { otp_device: user.ids.static, otp_token: user.codes[0]! });
      // A backup code is followed by how many remain, then `next`.
      expect(ok.location).toBe('/account/backup-codes?next=%2F');
      expect((await app.otp.userSettings.get(user.id)).preferredDevice).toBeNull();
    });

    it('speaks the request\'s language', async () => {
      const user = await userWithEveryMethod();
      const client = await signedIn(user.name, { 'accept-language': 'fr-FR,fr;q=0.9' });
      const html = await page(client, '/account/verify');
      expect(html).toContain('<h1>Vérification en deux étapes</h1>');
      expect(html).toContain('Utiliser plutôt un code de secours');
      expect(html).toContain(`M&#39;envoyer plutôt un code : SMS au •••${user.phone.slice(-2)}`);
      expect(html).toContain('Se souvenir de ce navigateur pendant 30 jours');
      const list = await page(client, '/account/verify?choose=1');
      expect(list).toContain('Application d&#39;authentification (Phone)');
    });

    it('keeps the one-page login working: a backup code signs in, and a refusal names no method', async () => {
      const user = await userWithEveryMethod();
      const client = new HttpClient(app.server.url);
      const login = async (form: Record<string, string>) => {
        const csrf = csrfOf(await (await client.request('/one/login')).text());
        const response = await client.request('/one/login', { form: { _csrf: csrf, username: user.name, password: 'pw', ...form } });
        return { status: response.status, location: response.headers.get('location'), text: await response.text() };
      };
      const missing = await login({});
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('data-code="invalid_credentials"');
      for (const disclosed of [user.ids.sms, user.ids.static, `•••${user.phone.slice(-2)}`, user.address, 'otp_device']) expect(missing.text).not.toContain(disclosed);
      const ok = await login({ otp_token: user.codes[1]!, next: '/protected' });
      expect(ok.location).toBe('/one/backup-codes?next=%2Fprotected');
      expect((await client.getJson('/whoami')).body).toMatchObject({ verified: true, device: user.ids.static });
    });
  });

  describe('the JSON API', () => {
    it('lists the methods of an authenticated user, the default first, labelled in the request\'s language', async () => {
      const anonymous = new ApiClient(app.server.url, checker);
      expect((await anonymous.get('/methods')).body.error.code).toBe('unauthenticated');
      const user = await userWithEveryMethod();
      const client = await ApiClient.loggedIn(app.server.url, user.id, checker);
      const listed = await client.get('/methods');
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({
        methods: [
          { id: user.ids.totp, type: 'totp', kind: 'app', name: 'Phone', label: 'Authenticator app (Phone)', destination: null, interactive: false, browser: false },
          { id: user.ids.sms, type: 'sms', kind: 'text', name: 'Mobile', label: `Text message to •••${user.phone.slice(-2)}`, destination: `•••${user.phone.slice(-2)}`, interactive: true, browser: false },
          { id: user.ids.email, type: 'email', kind: 'email', name: 'Inbox', label: 'Email to c•••@otpkit.test', destination: 'c•••@otpkit.test', interactive: true, browser: false },
          { id: user.ids.static, type: 'static', kind: 'backup', name: 'Backup Code', label: 'Backup codes', destination: null, interactive: false, browser: false },
        ],
        preferred: null,
      });
      const french = await client.send('GET', '/methods', undefined, { headers: { 'accept-language': 'fr' } });
      expect(french.body.methods.map((method: { label: string }) => method.label)).toEqual([
        "Application d'authentification (Phone)",
        `SMS au •••${user.phone.slice(-2)}`,
        'E-mail à c•••@otpkit.test',
        'Codes de secours',
      ]);
    });

    it('sets and clears the preferred device for a verified session, refusing what is not a method of the user', async () => {
      const user = await userWithEveryMethod();
      const other = await userWithEveryMethod();
      const login = await app.otp.createDevice('email', user.id, { name: 'Sign-in inbox', email: `login.${user.id}@otpkit.test`, purpose: 'login', confirmed: true });
      const unconfirmed = await app.otp.createDevice('sms', user.id, { name: 'New phone', number: '+14155559999' });
      expect((await new ApiClient(app.server.url, checker).put('/preferred-device', { device: user.ids.sms })).body.error.code).toBe('unauthenticated');
      const client = await ApiClient.loggedIn(app.server.url, user.id, checker);
      expect((await client.put('/preferred-device', { device: user.ids.sms })).body.error.code).toBe('verification_required');
      expect((await client.post('/validate', { token: user.codes[0]!, device: user.ids.static })).status).toBe(200);

      for (const device of [other.ids.sms, login.persistentId, unconfirmed.persistentId, 'nope/1', '../../etc/passwd']) {
        const refused = await client.put('/preferred-device', { device });
        expect(refused.status, device).toBe(404);
        expect(refused.body.error.code).toBe('device_not_found');
      }
      for (const body of [{}, { device: 7 }, { device: '' }, { device: 'x'.repeat(65) }]) {
        expect((await client.put('/preferred-device', body)).body.error.code, JSON.stringify(body)).toBe('invalid_request');
      }
      expect((await client.send('PUT', '/preferred-device', undefined, { body: 'device=sms', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
      expect((await app.otp.userSettings.get(user.id)).preferredDevice).toBeNull();

      const set = await client.put('/preferred-device', { device: user.ids.email });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ preferred: user.ids.email });
      const listed = await client.get('/methods');
      expect(listed.body.preferred).toBe(user.ids.email);
      expect(listed.body.methods.map((method: { id: string }) => method.id)).toEqual([user.ids.email, user.ids.totp, user.ids.sms, user.ids.static]);
      const changes = app.events.filter((event) => event.type === 'preferredDeviceChanged' && event.userId === String(user.id));
      expect(changes).toEqual([expect.objectContaining({ deviceId: user.ids.email, via: 'api' })]);

      const cleared = await client.put('/preferred-device', { device: null });
      expect(cleared.body).toEqual({ preferred: null });
      expect((await client.get('/methods')).body.methods[0].id).toBe(user.ids.totp);
    });

    it('forgets the preference when the preferred device is removed', async () => {
      const user = await userWithEveryMethod();
      await app.otp.userSettings.setPreferredDevice(user.id, user.ids.sms);
      const client = await ApiClient.loggedIn(app.server.url, user.id, checker);
      expect((await client.get('/methods')).body.preferred).toBe(user.ids.sms);
      expect(await app.otp.removeDevice(user.id, user.ids.sms)).toBe(true);
      const listed = await client.get('/methods');
      expect(listed.body.preferred).toBeNull();
      expect(listed.body.methods.map((method: { id: string }) => method.id)).toEqual([user.ids.totp, user.ids.email, user.ids.static]);
    });

    it('exercises every documented success answer of /methods and /preferred-device', () => {
      const ours = checker.documented().filter((entry) => /\s2\d\d$/.test(entry) && / \/(methods|preferred-device) /.test(entry));
      expect(ours).toHaveLength(2);
      expect(ours.filter((entry) => !checker.seen.has(entry))).toEqual([]);
    });
  });
});

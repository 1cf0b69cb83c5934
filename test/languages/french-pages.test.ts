/**
 * The second locale renders every page with no missing string: a browser asking for French
 * (`Accept-Language: fr-CH, fr;q=0.9, en;q=0.5`) walks every page the login views (sign-in, the
 * choice of a method, enrolment, backup codes), the magic-link pages and the admin pages serve, and each one is `<html lang="fr">` with no English text of the catalog (where
 * the French differs), no catalog key and no unfilled `{placeholder}`.
 *
 * Add the pages of new views to VISITS (and their routers to `walkApp` if they are not mounted yet).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUILT_IN_CATALOGS, decodeBase32, hotpToken, totpTimeStep, type Device, type MessageKey, type MessageValue, type Otp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { otpAdminRouter, otpLoginRouter } from '@otpkit/express';
import { createSignIn, type SignIn } from '@otpkit/signin';
import { sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { PasskeySignIn, webauthn } from '@otpkit/webauthn';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { sequence, type SequenceDevice } from '../../packages/core/src/test-support/sequence-device.js';
import { startSmtpSink, type SmtpSink } from '../../packages/email/src/test-support/smtp-sink.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { SoftAuthenticator } from '../../packages/webauthn/src/test-support/soft-authenticator.js';
import { RecordingSmsProvider } from '../express/support/recording-sms.js';

const FRENCH = 'fr-CH, fr;q=0.9, en;q=0.5';
const english = BUILT_IN_CATALOGS.en!;
const french = BUILT_IN_CATALOGS.fr!;
const keys = Object.keys(english) as MessageKey[];

/** The texts of a message: the string, or each plural form. */
const textsOf = (value: MessageValue): string[] => (typeof value === 'string' ? [value] : Object.values(value));

/**
 * The English catalog's text that a French page must never show: of every message whose French
 * differs, the parts between placeholders (at least 4 characters, so that a word of a device's
 * name cannot match by chance). Mail HTML templates are left out: never on a page, and their
 * words are those of the plain-text templates.
 */
const ENGLISH_ONLY = [
  ...new Set(
    keys
      .filter((key) => JSON.stringify(english[key]) !== JSON.stringify(french[key]))
      .flatMap((key) => textsOf(english[key]))
      .filter((text) => !/<[a-z][^>]*>/.test(text))
      .flatMap((text) => text.split(/\{\w+\}/))
      .map((part) => part.trim())
      .filter((part) => part.length >= 4),
  ),
];

const ENTITIES: Readonly<Record<string, string>> = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&#96;': '`', '&amp;': '&' };

/** Whether `text` shows `part` as words of its own ("Continue" is not in "Continuer", nor "Password" in "1Password"). */
function shownAsWords(text: string, part: string): boolean {
  const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text);
}

/** A page's HTML as the browser reads its text and attributes (the script's messages are in one). */
const unescape = (html: string) => html.replace(/&(quot|#39|lt|gt|#96|amp);/g, (entity) => ENTITIES[entity]!);

/** What a visit can use: the app, its users and clients that ask for French. */
interface Walk {
  readonly server: TestServer;
  readonly smtp: SmtpSink;
  readonly signIn: SignIn;
  /** The user `walker`: their id, the persistent ids of their devices, and their backup codes. */
  readonly walker: { readonly id: string; readonly securityKey: string; readonly totp: string; readonly backupCodes: string; readonly codes: readonly string[] };
  /** The current code of an authenticator app whose key the page showed. */
  appCode(key: string): string;
  /** A French browser of the administrator `boss`, signed in and verified. */
  administrator(): Promise<HttpClient>;
  /** A browser asking for French, with a cookie jar of its own. */
  browser(): HttpClient;
  /** A French browser signed in with the password of `username` (on the token step when the user has a device). */
  signedIn(username: string): Promise<HttpClient>;
  /** Opens the page at `path` as `client` and posts its form (with the page's CSRF token) to `action` (default `path`). */
  submitForm(client: HttpClient, path: string, form: Record<string, string>, action?: string): Promise<Response>;
  /** Posts the token page's form of `client`, a second later. */
  submitToken(client: HttpClient, form: Record<string, string>): Promise<Response>;
}

/** A page to check: how a French browser reaches it, its status, and one French text that proves it is the page meant. */
interface PageVisit {
  readonly page: string;
  readonly status: number;
  /** A text the page must show (the French of a catalog message, or a page's own words). */
  readonly shows: string;
  visit(walk: Walk): Promise<Response>;
}

const fr = (key: MessageKey, params: Record<string, string | number> = {}) => textsOf(french[key])[0]!.replace(/\{(\w+)\}/g, (placeholder, name: string) => String(params[name] ?? placeholder));

const VISITS: readonly PageVisit[] = [
  { page: 'login', status: 200, shows: fr('webauthn.passkeySignIn'), visit: ({ browser }) => browser().request('/pk/login') },
  { page: 'login, two steps without passkeys', status: 200, shows: 'name="password"', visit: ({ browser }) => browser().request('/account/login') },
  { page: 'one-page login', status: 200, shows: fr('signinPages.login.tokenHint'), visit: ({ browser }) => browser().request('/one/login') },
  { page: 'sign-up', status: 200, shows: fr('signUp.submit'), visit: ({ browser }) => browser().request('/pk/signup') },
  {
    page: 'sign-up refused: a short password',
    status: 400,
    shows: 'caractères',
    visit: ({ browser, submitForm }) => submitForm(browser(), '/pk/signup', { username: 'newcomer', password: 'short' }),
  },
  {
    page: 'sign-up refused: a taken username',
    status: 400,
    shows: fr('form.username_taken'),
    visit: ({ browser, submitForm }) => submitForm(browser(), '/pk/signup', { username: 'walker', password: 'long enough' }),
  },
  {
    page: 'login refused: empty fields',
    status: 400,
    shows: fr('form.field_required'),
    visit: ({ browser, submitForm }) => submitForm(browser(), '/account/login', { username: '', password: '' }),
  },
  {
    page: 'login refused: wrong password',
    status: 400,
    shows: fr('form.invalid_login'),
    visit: ({ browser, submitForm }) => submitForm(browser(), '/account/login', { username: 'walker', password: 'wrong' }),
  },
  {
    page: 'one-page login refused: a right password without its code',
    status: 400,
    shows: fr('form.invalid_credentials'),
    visit: ({ browser, submitForm }) => submitForm(browser(), '/one/login', { username: 'walker', password: 'walker-password' }),
  },
  {
    page: 'passkey refused',
    status: 400,
    shows: fr('form.passkey_refused'),
    visit: ({ browser, submitForm }) => submitForm(browser(), '/pk/login', { credential: '{}' }, '/pk/login/passkey'),
  },
  {
    page: 'passkey sign-in not configured',
    status: 404,
    shows: fr('page.notFound.title'),
    visit: ({ browser, submitForm }) => submitForm(browser(), '/account/login', { credential: '{}' }, '/account/login/passkey'),
  },
  { page: 'token page', status: 200, shows: fr('signinPages.token.verify'), visit: async ({ signedIn }) => (await signedIn('walker')).request('/account/verify') },
  {
    page: 'token page: a security key',
    status: 200,
    shows: fr('webauthn.useDevice', { device: 'Clé' }),
    visit: async ({ signedIn, walker }) => (await signedIn('walker')).request(`/account/verify?device=${walker.securityKey}`),
  },
  {
    page: 'token page: the list of every method',
    status: 200,
    shows: fr('signinPages.choose.title'),
    visit: async ({ signedIn }) => (await signedIn('walker')).request('/account/verify?choose=1'),
  },
  {
    page: 'after a sign-in with a backup code',
    status: 200,
    shows: fr('backupCodes.used.title'),
    visit: async ({ signedIn, submitToken, walker }) => {
      const client = await signedIn('walker');
      const signedInWithCode = await submitToken(client, { otp_device: walker.backupCodes, otp_token: walker.codes[0]! });
      return client.request(signedInWithCode.headers.get('location')!);
    },
  },
  { page: 'enrolment: choose a method', status: 200, shows: fr('enrol.chooseMethod'), visit: async ({ signedIn }) => (await signedIn('deviceless')).request('/account/enrol') },
  {
    page: 'enrolment: an authenticator app',
    status: 200,
    shows: fr('enrol.app.scan'),
    visit: async ({ signedIn, submitForm }) => submitForm(await signedIn('deviceless'), '/account/enrol', { method: 'totp' }),
  },
  {
    page: 'enrolment: a first code that is not a code',
    status: 400,
    shows: fr('form.malformed_token'),
    visit: async ({ signedIn, submitForm }) => {
      const client = await signedIn('deviceless');
      const setup = await (await submitForm(client, '/account/enrol', { method: 'totp' })).text();
      const device = /name="device" value="([^"]+)"/.exec(setup)![1]!;
      return client.request('/account/enrol/confirm', { form: { _csrf: csrfOf(setup), device, otp_token: 'pas un code !' } });
    },
  },
  {
    page: 'enrolment: a security key',
    status: 200,
    shows: fr('enrol.key.intro'),
    visit: async ({ signedIn, submitForm }) => submitForm(await signedIn('deviceless'), '/account/enrol', { method: 'webauthn' }),
  },
  {
    page: 'enrolment: backup codes after the first device',
    status: 200,
    shows: fr('backupCodes.enrolled'),
    visit: async ({ signedIn, submitForm, appCode }) => {
      const client = await signedIn('newcomer');
      const setup = await (await submitForm(client, '/account/enrol', { method: 'totp' })).text();
      const device = /name="device" value="([^"]+)"/.exec(setup)![1]!;
      const key = /<code id="otp_key">([A-Z2-7 ]+)<\/code>/.exec(setup)![1]!;
      return client.request('/account/enrol/confirm', { form: { _csrf: csrfOf(setup), device, otp_token: appCode(key) } });
    },
  },
  { page: 'admin: find a user', status: 200, shows: fr('admin.search.label'), visit: async ({ administrator }) => (await administrator()).request('/admin/') },
  { page: 'admin: nobody found', status: 404, shows: fr('admin.search.label'), visit: async ({ administrator }) => (await administrator()).request('/admin/?q=nobody-by-that-name') },
  { page: 'admin: a user', status: 200, shows: 'Clé', visit: async ({ administrator, walker }) => (await administrator()).request(`/admin/users/${walker.id}`) },
  {
    page: 'admin: a one-time backup code',
    status: 200,
    shows: 'class="secret"',
    visit: async ({ administrator, submitForm, walker }) => submitForm(await administrator(), `/admin/users/${walker.id}`, {}, `/admin/users/${walker.id}/backup-code`),
  },
  { page: 'admin: not an administrator', status: 403, shows: fr('admin.forbidden.title'), visit: async ({ signedIn }) => (await signedIn('mailer')).request('/admin/') },
  {
    page: 'token page: a malformed code',
    status: 400,
    shows: fr('form.malformed_token'),
    visit: async ({ signedIn, submitToken }) => submitToken(await signedIn('walker'), { otp_token: 'not a code!' }),
  },
  {
    page: 'token page: a wrong code',
    status: 400,
    shows: fr('form.invalid_token'),
    visit: async ({ signedIn, submitToken, walker }) => submitToken(await signedIn('walker'), { otp_device: walker.backupCodes, otp_token: 'zzzzzzzz' }),
  },
  {
    page: 'token page: a code sent by email',
    status: 200,
    shows: fr('form.challenge_message', { message: fr('email.sent') }),
    visit: async ({ signedIn, submitToken }) => submitToken(await signedIn('mailer'), { otp_challenge: '1' }),
  },
  {
    page: 'token page: a code asked for again too soon',
    status: 429,
    shows: 'data-code="cooldown"',
    visit: async ({ signedIn, submitToken }) => {
      const client = await signedIn('mailer');
      await submitToken(client, { otp_challenge: '1' });
      return submitToken(client, { otp_challenge: '1' });
    },
  },
  {
    page: 'token page: a device that sends no code',
    status: 400,
    shows: fr('form.not_interactive'),
    visit: async ({ signedIn, submitToken, walker }) => submitToken(await signedIn('walker'), { otp_device: walker.totp, otp_challenge: '1' }),
  },
  {
    page: 'token page: a security key challenged',
    status: 200,
    shows: fr('webauthn.continue'),
    visit: async ({ signedIn, submitToken, walker }) => submitToken(await signedIn('walker'), { otp_device: walker.securityKey, otp_challenge: '1' }),
  },
  {
    page: 'form expired',
    status: 403,
    shows: fr('error.csrf_invalid'),
    visit: async ({ signedIn }) => (await signedIn('walker')).request('/account/verify', { form: { _csrf: 'forged', otp_token: '123456' } }),
  },
  {
    page: 'body too large',
    status: 413,
    shows: fr('error.payload_too_large'),
    visit: ({ browser }) => browser().request('/account/login', { form: { username: 'x'.repeat(20_000) } }),
  },
  { page: 'bad request', status: 400, shows: fr('error.invalid_request'), visit: ({ browser }) => browser().request('/account/assets/%E0%A4%A') },
  { page: 'magic link expired', status: 400, shows: fr('error.link_invalid'), visit: ({ browser }) => browser().request(`/api/2fa/signin/link/${'A'.repeat(43)}`) },
  {
    page: 'magic link opened in another browser',
    status: 200,
    shows: fr('page.linkConfirm.warning'),
    visit: async ({ browser, smtp, signIn }) => {
      expect((await browser().request('/api/2fa/signin/link', { json: { email: 'linker@otpkit.test' }, headers: { accept: 'application/json' } })).status).toBe(202);
      await signIn.idle();
      const link = /\/api\/2fa\/signin\/link\/[A-Za-z0-9_-]{43}/.exec(smtp.lastTo('linker@otpkit.test').raw)![0];
      return browser().request(link);
    },
  },
  {
    page: 'magic link confirmation expired',
    status: 403,
    shows: fr('page.backToSite'),
    visit: ({ browser }) => browser().request(`/api/2fa/signin/link/${'A'.repeat(43)}`, { form: { _csrf: 'forged', confirm: '1' } }),
  },
];

describeOnBackends('every page in French', (fixture) => {
  const authenticator = new SoftAuthenticator();
  let server: TestServer;
  let smtp: SmtpSink;
  let signIn: SignIn;
  let walker: Walk['walker'];
  let bossKey: SequenceDevice;
  let deviceOf: (persistentId: string) => Promise<Device | null>;
  let base = 'http://127.0.0.1';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const otp: Otp = fixture.otp({
      devices: [
        totp({ issuer: 'otpkit-test' }),
        staticTokens(),
        email({ transport: smtp.url, from: 'otpkit <no-reply@otpkit.test>' }),
        sms({ provider: new RecordingSmsProvider() }),
        webauthn({ rpName: 'Acme', rpID: 'acme.example', origins: 'https://acme.example' }),
        sequence(1),
      ],
    });
    await otp.migrate();
    signIn = createSignIn(otp, { linkUrl: (token) => `${base}/api/2fa/signin/link/${token}`, envelopeMs: 0 });
    await signIn.migrate();
    const { knex } = fixture.database;
    await createUsersTable(knex);
    const passkeySignIn = new PasskeySignIn(otp);
    const boss = String(await addUser(knex, 'boss', 'boss-password'));
    bossKey = (await otp.createDevice('sequence', boss, { confirmed: true })) as SequenceDevice;
    server = await startOtpApp(
      otp,
      knex,
      (app) => {
        app.use('/pk', otpLoginRouter(otp, { authenticate: passwordAuthenticator(knex), passkeySignIn, signUp: () => ({ refused: 'username_taken' }) }));
        app.use('/admin', otpAdminRouter(otp, { authorize: (req) => (req.otp.userId === boss ? boss : null), verifyUrl: '/account/verify' }));
      },
      {},
      { signIn, rescue: { mode: 'email' } },
    );
    deviceOf = (persistentId) => otp.deviceFromPersistentId(persistentId);
    base = server.url;
    // walker: a security key (enrolled first, while nothing else needs a step-up), an authenticator app, backup codes.
    const walkerId = await addUser(knex, 'walker', 'walker-password');
    const registrar = await ApiClient.loggedIn(server.url, walkerId);
    const enrolled = await registrar.post('/devices/webauthn', { name: 'Clé' });
    expect((await registrar.post(`/devices/${enrolled.body.device.id}/confirm`, { token: authenticator.register(enrolled.body.publicKey) })).status).toBe(200);
    const app = await otp.createDevice('totp', walkerId, { confirmed: true });
    const backup = await otp.enroll('static', walkerId);
    if (!backup.ok) throw new Error(`no backup codes: ${backup.reason}`);
    walker = { id: String(walkerId), securityKey: enrolled.body.device.id, totp: app.persistentId, backupCodes: backup.device.persistentId, codes: (backup.display as { codes: string[] }).codes };
    const mailer = await addUser(knex, 'mailer', 'mailer-password');
    await otp.createDevice('email', mailer, { email: 'mailer@otpkit.test', confirmed: true });
    await addUser(knex, 'deviceless', 'deviceless-password');
    await addUser(knex, 'newcomer', 'newcomer-password');
    const linker = await addUser(knex, 'linker', 'linker-password');
    await otp.createDevice('email', linker, { email: 'linker@otpkit.test', confirmed: true, purpose: 'login' });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  const walk: Walk = {
    get server() {
      return server;
    },
    get smtp() {
      return smtp;
    },
    get signIn() {
      return signIn;
    },
    get walker() {
      return walker;
    },
    browser() {
      const client = new HttpClient(server.url);
      client.headers['accept-language'] = FRENCH;
      return client;
    },
    async signedIn(username) {
      const client = walk.browser();
      expect((await walk.submitForm(client, '/account/login', { username, password: `${username}-password` })).status).toBe(303);
      return client;
    },
    async submitForm(client, path, form, action = path) {
      const page = await (await client.request(path)).text();
      return client.request(action, { form: { _csrf: csrfOf(page), ...form } });
    },
    appCode(key) {
      return hotpToken(decodeBase32(key.replace(/ /g, '')), totpTimeStep(fixture.clock.now(), 30, 0), { algorithm: 'sha1', digits: 6 });
    },
    async administrator() {
      const client = await walk.signedIn('boss');
      const token = ((await deviceOf(bossKey.persistentId)) as SequenceDevice).currentToken();
      expect((await walk.submitToken(client, { otp_device: bossKey.persistentId, otp_token: token })).status).toBe(303);
      return client;
    },
    submitToken(client, form) {
      fixture.clock.advanceSeconds(1);
      return walk.submitForm(client, '/account/verify', form);
    },
  };

  it('the English catalog has text to look for', () => {
    expect(ENGLISH_ONLY.length).toBeGreaterThan(50);
  });

  it.each(VISITS.map((visit) => [visit.page, visit] as const))('%s', async (_page, { status, shows, visit }) => {
    const response = await visit(walk);
    const html = await response.text();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const text = unescape(html);
    expect(text).toContain(shows);
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(ENGLISH_ONLY.filter((part) => shownAsWords(text, part))).toEqual([]);
    expect(keys.filter((key) => text.includes(`>${key}<`) || text.includes(`"${key}"`))).toEqual([]);
    expect(text.replace(/<script[^>]*>[\s\S]*?<\/script>|<style>[\s\S]*?<\/style>|data-otpkit-options="[^"]*"/g, '').match(/\{[A-Za-z_]\w*\}/g) ?? []).toEqual([]);
  });
});

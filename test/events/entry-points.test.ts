/**
 * 0.1 sent events from the Express layer by hand, so the CLI and direct API calls reported
 * nothing. Core now reports every change after it commits, whoever made it: these tests make the
 * same changes through each entry point (a direct call, the JSON API, the login views, the CLI)
 * and check that each is reported exactly once, to the hooks and to the audit table, with the
 * entry point in `via`, and that no event or row carries a token, a key or a cookie.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeBase32, hotpToken, totpTimeStep, type AuditEvent, type Otp } from '@otpkit/core';
import { runCli } from '@otpkit/cli';
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { staticTokens } from '@otpkit/static';
import { totp, type TOTPDevice } from '@otpkit/totp';
import { recordEvents } from '../../packages/core/src/test-support/recorded-events.js';
import { databaseUrl } from '../../packages/cli/src/test-support/run-bin.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { describeOnBackends } from '../security/support/backends.js';
import { enrolBackupCodes } from '../security/support/backup-codes.js';

const KEY = 'd'.repeat(64);
/** A mailer that refuses one address, so a challenge to it fails after its token was committed. */
const mailer = {
  sendMail: async (mail: { to: string }) => {
    if (String(mail.to).includes('unreachable')) throw new Error('mailbox unavailable');
  },
};
const devices = [totp(), hotp(), staticTokens(), email({ transport: mailer as never, from: 'otp@example.test' })];

/** The TOTP code of a base32 key (spaces allowed) at `at`. */
const codeAt = (key: string, at: number) => hotpToken(decodeBase32(key.replace(/ /g, '')), totpTimeStep(at, 30, 0), { algorithm: 'sha1', digits: 6 });
const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');
const typesOf = (events: readonly { type: string; via: string }[]) => events.map((event) => `${event.type} ${event.via}`);

describeOnBackends('every change is reported once, whichever entry point made it', { devices, secretKeys: { '1': KEY } }, (fixture) => {
  const { events, hooks } = recordEvents();
  const secrets: string[] = [];
  let otp: Otp;
  let server: TestServer;

  beforeAll(async () => {
    await createUsersTable(fixture.database.knex);
    otp = fixture.otp({ devices, secretKeys: { '1': KEY }, events: hooks, audit: true });
    server = await startOtpApp(otp, fixture.database.knex);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** The user's events as the hooks got them, and the audit rows, which must be the same. */
  async function reported(userId: number): Promise<AuditEvent[]> {
    const hooked = events.filter((event) => event.userId === String(userId));
    const rows = (await otp.auditEvents(userId, { limit: 1000 })).reverse();
    expect(rows.map(({ id: _id, ...event }) => event)).toEqual(hooked);
    return rows;
  }

  it('a direct call: via direct; a challenge whose delivery failed is withdrawn and not reported', async () => {
    const userId = await addUser(fixture.database.knex, 'direct-user', 'password');
    const phone = (await otp.createDevice('totp', userId)) as TOTPDevice;
    const key = phone.revealKey();
    const code = codeAt(key, fixture.clock.now());
    secrets.push(key.replace(/ /g, ''), code);
    expect(await otp.confirmDevice(userId, phone.persistentId, code)).toMatchObject({ ok: true });
    expect(await otp.verify(userId, phone.persistentId, otherThan(codeAt(key, fixture.clock.now())))).toMatchObject({ reason: 'invalid_token' });
    fixture.clock.advanceSeconds(31);
    expect(await otp.verify(userId, phone.persistentId, codeAt(key, fixture.clock.now()))).toMatchObject({ ok: true });
    // Enrolled (deviceAdded), then enrolled again (backupCodesRegenerated).
    secrets.push(...(await enrolBackupCodes(otp, userId, 3)).codes, ...(await enrolBackupCodes(otp, userId, 3)).codes);
    expect(await otp.removeDevice(userId, phone.persistentId)).toBe(true);
    const inbox = await otp.createDevice('email', userId, { confirmed: true, email: 'unreachable@example.test' });
    fixture.clock.advanceSeconds(61);
    await expect(otp.generateChallenge(userId, inbox.persistentId)).rejects.toMatchObject({ code: 'ERR_OTP_DELIVERY' });

    expect(typesOf(await reported(userId))).toEqual([
      'deviceAdded direct',
      'deviceConfirmed direct',
      'failed direct',
      'verified direct',
      'deviceAdded direct',
      'backupCodesRegenerated direct',
      'deviceRemoved direct',
      'deviceAdded direct',
    ]);
  });

  it('the JSON API: via api, with the client address and user agent', async () => {
    const userId = await addUser(fixture.database.knex, 'api-user', 'password');
    const client = await ApiClient.loggedIn(server.url, userId);
    const setup = await client.post('/devices/totp');
    const key: string = setup.body.secret;
    const id: string = setup.body.device.id;
    const code = codeAt(key, fixture.clock.now());
    secrets.push(key.replace(/ /g, ''), code);
    expect((await client.post(`/devices/${id}/confirm`, { token: code })).status).toBe(200);
    expect((await client.post('/validate', { device: id, token: otherThan(codeAt(key, fixture.clock.now())) })).status).toBe(400);
    fixture.clock.advanceSeconds(31);
    expect((await client.post('/validate', { device: id, token: codeAt(key, fixture.clock.now()) })).status).toBe(200);
    // Enrolled, then enrolled again: new codes.
    for (let round = 0; round < 2; round += 1) secrets.push(...(await client.post('/devices/static')).body.codes);
    expect((await client.post('/devices/email', { email: 'unreachable@example.test' })).status).toBe(502);
    expect((await client.delete(`/devices/${id}`)).status).toBe(204);

    const rows = await reported(userId);
    expect(typesOf(rows)).toEqual([
      'deviceAdded api',
      'deviceConfirmed api',
      'failed api',
      'verified api',
      'deviceAdded api',
      'backupCodesRegenerated api',
      'deviceAdded api',
      'deviceRemoved api',
      'deviceRemoved api',
    ]);
    expect(rows.every((row) => row.ip === '127.0.0.1' && row.userAgent !== null)).toBe(true);
    expect(rows.filter((row) => row.type === 'deviceRemoved').map((row) => row.type === 'deviceRemoved' && row.confirmed)).toEqual([false, true]);
  });

  it('the login views: via views; a remembered browser verifies a later session once, via express', async () => {
    const userId = await addUser(fixture.database.knex, 'views-user', 'views-password');
    await enrolBackupCodes(otp, userId, 3);
    const { device: backup, codes } = await enrolBackupCodes(otp, userId, 3);
    secrets.push(...codes);
    const browser = new HttpClient(server.url);
    const loginPage = await (await browser.request('/account/login')).text();
    await browser.request('/account/login', { form: { _csrf: csrfOf(loginPage), username: 'views-user', password: 'views-password' } });
    const token = async () => csrfOf(await (await browser.request('/account/verify')).text());
    expect((await browser.request('/account/verify', { form: { _csrf: await token(), otp_token: 'wrong-code-1' } })).status).toBe(400);
    expect((await browser.request('/account/verify', { form: { _csrf: await token(), otp_token: codes[0]!, remember: '1' } })).status).toBe(303);
    const cookie = browser.cookies.get('otpkit_remember')!;
    secrets.push(cookie);

    const later = new HttpClient(server.url);
    later.cookies.set('otpkit_remember', cookie);
    await later.request('/test/login', { json: { userId } });
    expect((await later.getJson('/whoami')).body).toMatchObject({ verified: true });
    expect((await later.getJson('/whoami')).body).toMatchObject({ verified: true });
    await browser.request('/account/logout', { form: { _csrf: await token(), forget: '1' } });

    expect(typesOf(await reported(userId))).toEqual([
      'deviceAdded direct',
      'backupCodesRegenerated direct',
      'failed views',
      'verified views',
      'browserRemembered views',
      'verified express',
      'browsersRevoked views',
    ]);
  });

  it('the command line: via cli, written to the audit table by its own otp instance', async () => {
    const userId = await addUser(fixture.database.knex, 'cli-user', 'password');
    // The repository's root: the CLI finds otpkit's plugin packages in its node_modules.
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const env = { DATABASE_URL: databaseUrl(fixture.database.config), OTP_KEY_1: KEY, OTPKIT_AUDIT_DAYS: '30' };
    const otpkit = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli([...argv, '--json'], { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env, cwd });
      return { code, out: stdout === '' ? null : JSON.parse(stdout), stderr };
    };
    const added = await otpkit('totp', 'add', 'cli-user');
    const key: string = added.out.display.secret;
    const code = codeAt(key, Date.now());
    secrets.push(key.replace(/ /g, ''), code);
    expect((await otpkit('totp', 'confirm', added.out.persistentId, code)).code).toBe(0);
    // Enrolled, then enrolled again: new codes.
    secrets.push(...(await otpkit('static', 'generate', 'cli-user', '-n', '2')).out.display.codes);
    const codes: string[] = (await otpkit('static', 'generate', 'cli-user', '-n', '2')).out.display.codes;
    secrets.push(...codes);
    expect((await otpkit('verify', 'cli-user', codes[0]!)).code).toBe(0);
    expect(await otpkit('verify', 'cli-user', codes[0]!)).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_CLI_TOKEN_REJECTED') });
    const { out: single } = await otpkit('addstatictoken', 'cli-user');
    secrets.push(...single.display.codes);
    expect((await otpkit('remove', added.out.persistentId)).code).toBe(0);
    const rows = await otp.auditEvents(userId, { limit: 1000 });
    expect(typesOf(rows.reverse())).toEqual([
      'deviceAdded cli',
      'deviceConfirmed cli',
      'deviceAdded cli',
      'backupCodesRegenerated cli',
      'verified cli',
      'failed cli',
      'backupCodeAdded cli',
      'deviceRemoved cli',
    ]);
    expect(events.filter((event) => event.userId === String(userId))).toEqual([]);
  });

  it('no event or audit row carries a key, a code or a remember cookie used above', async () => {
    expect(secrets.length).toBeGreaterThan(15);
    const written = JSON.stringify(await fixture.database.knex('otp_audit_event')) + JSON.stringify(events);
    for (const secret of secrets) {
      // A 6-digit code only counts as a whole number: timestamps contain every short digit run.
      const found = /^\d{6}$/.test(secret) ? new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(written) : written.includes(secret);
      expect(found, `a secret (${secret.slice(0, 3)}…) was reported`).toBe(false);
    }
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import session from 'express-session';
import { FakeClock } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSessionStore } from '../../packages/demo/src/session-store.js';
import { startDemoServer, type DemoServer } from '../../packages/demo/src/test-support/demo-server.js';
import { csrfField, HttpSession } from '../../packages/demo/src/test-support/http-session.js';
import { startDemo } from '../../packages/demo/src/test-support/start-demo.js';

const PASSWORD = 'correct horse battery';

async function register(demo: DemoServer, username: string): Promise<HttpSession> {
  const browser = new HttpSession(demo.url);
  const form = await browser.get('/register');
  const done = await browser.post('/register', { _csrf: csrfField(form.text), username, email: `${username}@example.com`, password: PASSWORD });
  expect(done).toMatchObject({ status: 303, location: '/devices' });
  return browser;
}

/** Posts a form found on `page` (its CSRF field) to `path`. */
async function submit(browser: HttpSession, page: string, path: string, fields: Record<string, string> = {}) {
  const form = await browser.get(page);
  return browser.post(path, { _csrf: csrfField(form.text), ...fields });
}

/** Backup codes for a user with no device yet (a first enrolment needs no step-up). */
async function firstBackupCodes(browser: HttpSession): Promise<string[]> {
  const page = await submit(browser, '/devices', '/devices/backup-codes');
  return [...page.text.matchAll(/<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/li>/g)].map((match) => match[1]!);
}

/** Verifies the session with a backup code, which the login views follow with how many remain. */
async function verifyWith(browser: HttpSession, code: string) {
  const verified = await submit(browser, '/account/verify', '/account/verify', { otp_token: code, next: '/devices' });
  expect(verified).toMatchObject({ status: 303, location: '/account/backup-codes?next=%2Fdevices' });
}

const sessionCount = (store: session.Store) =>
  new Promise<number>((resolve, reject) => store.length!((error, length) => (error ? reject(error) : resolve(length ?? 0))));

describe('the demo app, hardened', () => {
  const clock = new FakeClock(Date.now());
  const store = new session.MemoryStore();
  let demo: DemoServer;

  beforeAll(async () => {
    demo = await startDemoServer({ clock: clock.now, sessionStore: store });
  });
  afterAll(async () => {
    await demo?.close();
  });

  // Express's default handler printed the URIError's stack (file paths, versions) to anyone.
  it('an anonymous malformed URL shows no stack', async () => {
    for (const path of ['/devices/totp/%E0%A4%A', '/devices/totp/%', '/secret%ZZ']) {
      const response = await new HttpSession(demo.url).get(path);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.text).not.toMatch(/URIError|Error:|\bat \S+ \(|node_modules|\.ts:\d+/);
    }
  });

  it("pages carry helmet's headers and code pages are no-store", async () => {
    const home = await new HttpSession(demo.url).get('/');
    const csp = home.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const style = /<style>([\s\S]*?)<\/style>/.exec(home.text)![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(home.text).not.toMatch(/<script|\son\w+=/i);
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(home.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);

    const browser = await register(demo, 'hedy');
    const codes = await submit(browser, '/devices', '/devices/backup-codes');
    expect(codes.text).toContain('Your backup codes');
    expect(codes.headers.get('cache-control')).toBe('no-store');
    await verifyWith(browser, /<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/li>/.exec(codes.text)![1]!);
    const created = await submit(browser, '/devices', '/devices/totp');
    const setup = await browser.get(created.location!);
    expect(setup.text).toContain('<span class="key">');
    expect(setup.headers.get('cache-control')).toBe('no-store');
    expect((await browser.get('/outbox')).headers.get('cache-control')).toBe('no-store');
  });

  // Every anonymous view of the login page saved a session with a CSRF token: 15 kB of MemoryStore each.
  it('anonymous login page views create no session', async () => {
    const before = await sessionCount(store);
    for (let view = 0; view < 25; view++) {
      const visitor = new HttpSession(demo.url);
      for (const path of ['/account/login', '/account/login?next=%2Fsecret', '/register', '/', '/secret', '/outbox']) {
        const response = await visitor.get(path);
        expect(response.headers.getSetCookie().filter((cookie) => cookie.startsWith('connect.sid='))).toEqual([]);
      }
      expect(visitor.cookieNames).not.toContain('connect.sid');
    }
    expect(await sessionCount(store)).toBe(before);

    // The anonymous forms still refuse a post without their token, and accept one with it.
    const visitor = new HttpSession(demo.url);
    const login = await visitor.get('/account/login');
    expect(await visitor.post('/account/login', { username: 'nobody', password: PASSWORD })).toMatchObject({ status: 403 });
    expect(await visitor.post('/register', { username: 'nobody', email: 'nobody@example.com', password: PASSWORD })).toMatchObject({ status: 403 });
    expect(await sessionCount(store)).toBe(before);
    await register(demo, 'gail');
    const signedIn = await visitor.post('/account/login', { _csrf: csrfField(login.text), username: 'gail', password: PASSWORD });
    // The demo requires a second factor of everyone: a new user is first offered to set one up.
    expect(signedIn).toMatchObject({ status: 303, location: '/account/enrol?next=%2Fdevices' });
    expect(await sessionCount(store)).toBe(before + 2);
  });

  it('the outbox shows mail only to its recipient', async () => {
    const alice = await register(demo, 'alice');
    const mallory = await register(demo, 'mallory');
    // alice enrols her address: the code goes to the outbox.
    const sent = await submit(alice, '/devices/email', '/devices/email', { email: 'alice@example.com' });
    expect(sent.status).toBe(200);
    // mallory asks for a code to alice's address on a device of her own, and claims alice's address.
    expect((await submit(mallory, '/devices/email', '/devices/email', { email: 'Alice@Example.com' })).status).toBe(200);
    const taken = await submit(new HttpSession(demo.url), '/register', '/register', { username: 'mallory2', email: 'ALICE@example.com', password: PASSWORD });
    expect(taken).toMatchObject({ status: 400, text: expect.stringContaining('belongs to another account') });

    const own = await alice.get('/outbox');
    expect(own.text.match(/<pre>/g)).toHaveLength(2);
    expect(own.text).toContain('To alice@example.com');
    const others = await mallory.get('/outbox');
    expect(others.text).toContain('No messages yet');
    expect(others.text).not.toContain('alice@example.com');
    const anonymous = await new HttpSession(demo.url).get('/outbox');
    expect(anonymous).toMatchObject({ status: 303, location: '/account/login?next=%2Foutbox' });
    expect(anonymous.text).not.toContain('alice@example.com');
  });

  // The demo's token lived in the session, which login carried over: a token planted before login
  // (session fixation) or read from the anonymous register form kept working for the signed-in user.
  it("the demo's CSRF token from before login is refused after", async () => {
    await register(demo, 'bob');
    const browser = new HttpSession(demo.url);
    const before = csrfField((await browser.get('/register')).text);
    const login = await browser.get('/account/login');
    expect(await browser.post('/account/login', { _csrf: csrfField(login.text), username: 'bob', password: PASSWORD })).toMatchObject({ status: 303 });
    expect(await browser.post('/devices/totp', { _csrf: before })).toMatchObject({ status: 403, text: expect.not.stringContaining('Error') });
    expect(await submit(browser, '/devices', '/devices/totp')).toMatchObject({ status: 303, location: expect.stringMatching(/^\/devices\/totp\/\d+$/) });

    // The token of one login is refused after the next login in the same browser.
    const old = csrfField((await browser.get('/devices')).text);
    await submit(browser, '/devices', '/logout');
    const again = await browser.get('/account/login');
    await browser.post('/account/login', { _csrf: csrfField(again.text), username: 'bob', password: PASSWORD });
    expect(await browser.post('/devices/totp', { _csrf: old })).toMatchObject({ status: 403 });
  });

  it('a session verified long ago cannot add a device in the demo', async () => {
    const browser = await register(demo, 'vera');
    const codes = await firstBackupCodes(browser);
    await verifyWith(browser, codes[0]!);
    expect(await submit(browser, '/devices', '/devices/totp')).toMatchObject({ status: 303, location: expect.stringMatching(/^\/devices\/totp\/\d+$/) });

    clock.advance(301_000);
    const stepUp = { status: 303, location: '/account/verify?next=%2Fdevices' };
    const devices = await browser.get('/devices');
    expect(devices.status).toBe(200);
    const pending = /name="device" value="(totp\/\d+)"/.exec(devices.text)![1]!;
    const staticId = /name="device" value="(static\/\d+)"/.exec(devices.text)![1]!;
    const _csrf = csrfField(devices.text);
    expect(await browser.post('/devices/totp', { _csrf })).toMatchObject(stepUp);
    expect(await browser.post('/devices/email', { _csrf, email: 'vera@example.com' })).toMatchObject(stepUp);
    expect(await browser.post('/devices/backup-codes', { _csrf })).toMatchObject(stepUp);
    expect(await browser.post('/devices/confirm', { _csrf, device: pending, token: '123456' })).toMatchObject(stepUp);
    expect(await browser.post('/devices/remove', { _csrf, device: staticId })).toMatchObject(stepUp);
    expect(await browser.get(`/devices/${pending}`)).toMatchObject(stepUp);
    expect((await browser.get('/devices')).text).toContain(staticId);

    await verifyWith(browser, codes[1]!);
    expect(await submit(browser, '/devices', '/devices/backup-codes')).toMatchObject({ status: 200 });
  });

  it('a new authenticator app replaces the pending one instead of piling up devices', async () => {
    const browser = await register(demo, 'pete');
    for (let click = 0; click < 5; click++) await submit(browser, '/devices', '/devices/totp');
    const listed = (await browser.get('/devices')).text;
    expect(listed.match(/name="device" value="totp\/\d+"/g)).toHaveLength(1);
  });

  it("confirming a second device leaves the session's verification as it was", async () => {
    const browser = await register(demo, 'sam');
    const codes = await firstBackupCodes(browser);
    await verifyWith(browser, codes[0]!);
    const sent = await submit(browser, '/devices/email', '/devices/email', { email: 'sam@example.com' });
    const device = /name="device" value="(email\/\d+)"/.exec(sent.text)![1]!;
    const code = /<pre>[^<]*?(\d{6})/.exec((await browser.get('/outbox')).text)![1]!;
    expect(await browser.post('/devices/confirm', { _csrf: csrfField(sent.text), device, token: code })).toMatchObject({ status: 303 });
    expect((await browser.get('/secret')).text).toContain('You verified with <strong>Backup Code</strong>');
  });

  it("a change to the account's factors mails the user a notice that holds no code", async () => {
    const browser = await register(demo, 'nina');
    const codes = await firstBackupCodes(browser);
    await verifyWith(browser, codes[0]!);
    const devices = await browser.get('/devices');
    const staticId = /name="device" value="(static\/\d+)"/.exec(devices.text)![1]!;
    await browser.post('/devices/remove', { _csrf: csrfField(devices.text), device: staticId });
    const outbox = (await browser.get('/outbox')).text;
    expect(outbox).toContain('A sign-in method was added to your account');
    expect(outbox).toContain('A sign-in method was removed from your account');
    for (const code of codes) expect(outbox).not.toContain(code);
  });
});

describe('the demo in production', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-demo-production-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('production refuses MemoryStore', async () => {
    await expect(startDemo({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:9', DEMO_DB: join(dir, 'demo.sqlite') })).rejects.toThrow(
      /exited with 1: otpkit demo: NODE_ENV=production needs a shared session store, not MemoryStore: set REDIS_URL .* or SESSION_DATABASE_URL/,
    );
    await expect(openSessionStore({ NODE_ENV: 'production', DATABASE_URL: 'mysql://root@127.0.0.1/test' })).rejects.toThrow(/REDIS_URL/);
  });

  const shared = [
    { kind: 'redis', env: { REDIS_URL: process.env.OTPKIT_TEST_REDIS_URL } },
    { kind: 'postgres', env: { SESSION_DATABASE_URL: process.env.OTPKIT_TEST_POSTGRES_URL } },
  ] as const;
  for (const { kind, env } of shared) {
    describe.runIf(Object.values(env)[0] !== undefined)(`with ${kind} sessions`, () => {
      const file = join(dir, `${kind}.sqlite`);
      const stores: Awaited<ReturnType<typeof openSessionStore>>[] = [];
      const demos: DemoServer[] = [];
      beforeAll(async () => {
        for (let instance = 0; instance < 2; instance++) {
          const sessions = await openSessionStore({ NODE_ENV: 'production', ...env });
          expect(sessions.kind).toBe(kind);
          stores.push(sessions);
          demos.push(await startDemoServer({ file, sessionStore: sessions.store }));
        }
      });
      afterAll(async () => {
        for (const demo of demos) await demo.close();
        for (const sessions of stores) await sessions.close();
      });

      it(`a session created by one instance is honoured by another over ${kind}`, async () => {
        const username = `${kind}${randomBytes(3).toString('hex')}`;
        const first = await register(demos[0]!, username);
        const second = first.on(demos[1]!.url);
        const devices = await second.get('/devices');
        expect(devices).toMatchObject({ status: 200, text: expect.stringContaining(`${username} <span class="badge">`) });
        expect(await second.post('/devices/backup-codes', { _csrf: csrfField(devices.text) })).toMatchObject({ status: 200 });
        await submit(first, '/', '/logout');
        expect(await second.get('/devices')).toMatchObject({ status: 303 });
      });
    });
  }
});

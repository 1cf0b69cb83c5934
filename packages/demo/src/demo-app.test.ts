import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMail } from '../../email/src/test-support/read-mail.js';
import { startSmtpSink, type SmtpSink } from '../../email/src/test-support/smtp-sink.js';
import { appCode, freshTimeStep } from './test-support/authenticator-app.js';
import { csrfField, HttpSession } from './test-support/http-session.js';
import { startDemo, type RunningDemo } from './test-support/start-demo.js';
import { haveTools } from '../../../test/support/external-tools.js';

describe.runIf(haveTools('oathtool'))('the demo app (npm start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-demo-'));
  const database = join(dir, 'demo.sqlite');
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo({ DEMO_DB: database });
  });
  afterAll(async () => {
    await demo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates its SQLite database on first run and serves the home page', async () => {
    expect(existsSync(database)).toBe(true);
    const home = await new HttpSession(demo.url).get('/');
    expect(home).toMatchObject({ status: 200, text: expect.stringContaining('<a href="/register">Register</a>') });
  });

  it('walks register → TOTP setup → the guarded page, and a later login asks for the app code', async () => {
    const browser = new HttpSession(demo.url);
    const register = await browser.get('/register');
    const registered = await browser.post('/register', { _csrf: csrfField(register.text), username: 'carol', email: 'carol@example.com', password: 'correct horse battery' });
    expect(registered).toMatchObject({ status: 303, location: '/devices' });
    expect((await browser.get('/secret')).text).toContain('You have no device yet');

    const devices = await browser.get('/devices');
    const created = await browser.post('/devices/totp', { _csrf: csrfField(devices.text) });
    expect(created).toMatchObject({ status: 303, location: expect.stringMatching(/^\/devices\/totp\/\d+$/) });
    const setup = await browser.get(created.location!);
    expect(setup.text).toMatch(/<img class="qr" src="data:image\/png;base64,/);
    const key = /<span class="key">([A-Z2-7 ]+)<\/span>/.exec(setup.text)![1]!.replaceAll(' ', '');
    const device = /name="device" value="(totp\/\d+)"/.exec(setup.text)![1]!;

    const wrong = await browser.post('/devices/confirm', { _csrf: csrfField(setup.text), device, token: '000000' === appCode(key) ? '111111' : '000000' });
    expect(wrong).toMatchObject({ status: 400, text: expect.stringContaining('That code is not right') });
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the user's guessing budget: 2 s after one failure (factor 2)
    await freshTimeStep();
    const confirmed = await browser.post('/devices/confirm', { _csrf: csrfField(setup.text), device, token: appCode(key) });
    expect(confirmed).toMatchObject({ status: 303, location: '/devices?notice=Authenticator%20app%20is%20ready.' });
    expect((await browser.get('/secret')).text).toContain('You verified with <strong>Authenticator app</strong>');

    const later = new HttpSession(demo.url);
    expect(await later.get('/secret')).toMatchObject({ status: 303, location: '/account/login?next=%2Fsecret' });
    const login = await later.get('/account/login?next=%2Fsecret');
    const afterPassword = await later.post('/account/login', { _csrf: csrfField(login.text), next: '/secret', username: 'carol', password: 'correct horse battery' });
    expect(afterPassword).toMatchObject({ status: 303, location: '/account/verify?next=%2Fsecret' });
    expect((await later.get('/secret')).status).toBe(303);
    const verify = await later.get(afterPassword.location!);
    const verified = await later.post('/account/verify', { _csrf: csrfField(verify.text), next: '/secret', otp_device: device, otp_token: appCode(key, 30) });
    expect(verified).toMatchObject({ status: 303, location: '/secret' });
    expect((await later.get('/secret')).status).toBe(200);
  });

  it('enrols an email device with the code from the development outbox, shows backup codes once, and removes devices', async () => {
    const browser = new HttpSession(demo.url);
    const register = await browser.get('/register');
    await browser.post('/register', { _csrf: csrfField(register.text), username: 'dave', email: 'dave@example.com', password: 'hunter2hunter2' });
    const form = await browser.get('/devices/email');
    expect(form.text).toContain('value="dave@example.com"');
    const sent = await browser.post('/devices/email', { _csrf: csrfField(form.text), email: 'dave@example.com' });
    expect(sent.status).toBe(200);
    const outbox = await browser.get('/outbox');
    const code = /<pre>[^<]*?(\d{6})/.exec(outbox.text)![1]!;
    const device = /name="device" value="(email\/\d+)"/.exec(sent.text)![1]!;
    expect(await browser.post('/devices/confirm', { _csrf: csrfField(sent.text), device, token: code })).toMatchObject({ status: 303 });

    const devices = await browser.get('/devices');
    const codes = await browser.post('/devices/backup-codes', { _csrf: csrfField(devices.text) });
    expect(codes.text.match(/<li>[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}<\/li>/g)).toHaveLength(10);
    const listed = (await browser.get('/devices')).text;
    expect(listed).toContain('Backup Code');
    expect(await browser.post('/devices/remove', { _csrf: csrfField(listed), device })).toMatchObject({ status: 303, location: '/devices?notice=Device%20removed.' });
    expect((await browser.get('/devices')).text).not.toContain(device);

    // Account notices are on: each change mailed dave a notice, which the outbox shows.
    const notices = (await browser.get('/outbox')).text;
    for (const subject of ['A sign-in method was added to your account', 'A sign-in method was removed from your account']) expect(notices).toContain(subject);
    expect(notices.split(code)).toHaveLength(2); // the code is in its own message only
  });

  it("serves otpkit's JSON API at /api/2fa for the signed-in user", async () => {
    const anonymous = await new HttpSession(demo.url).get('/api/2fa/devices');
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ error: { code: 'unauthenticated' } });

    const browser = new HttpSession(demo.url);
    const register = await browser.get('/register');
    await browser.post('/register', { _csrf: csrfField(register.text), username: 'frank', email: 'frank@example.com', password: 'hunter2hunter2' });
    const devices = await browser.get('/devices');
    await browser.post('/devices/backup-codes', { _csrf: csrfField(devices.text) });
    const listed = await browser.get('/api/2fa/devices');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(JSON.parse(listed.text))).toContain('"name":"Backup Code"');
  });

  it('refuses a form without the CSRF token', async () => {
    const browser = new HttpSession(demo.url);
    await browser.get('/register');
    expect(await browser.post('/register', { username: 'eve', email: 'eve@example.com', password: 'password123' })).toMatchObject({ status: 403 });
  });
});

describe('the demo app with SMTP_URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-demo-smtp-'));
  let smtp: SmtpSink;
  let demo: RunningDemo;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    demo = await startDemo({ DEMO_DB: join(dir, 'demo.sqlite'), SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await demo?.stop();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the email device code through the SMTP server and has no outbox page', async () => {
    const browser = new HttpSession(demo.url);
    const register = await browser.get('/register');
    await browser.post('/register', { _csrf: csrfField(register.text), username: 'erin', email: 'erin@example.com', password: 'hunter2hunter2' });
    const form = await browser.get('/devices/email');
    const sent = await browser.post('/devices/email', { _csrf: csrfField(form.text), email: 'erin@example.com' });
    const device = /name="device" value="(email\/\d+)"/.exec(sent.text)![1]!;
    const code = smtp.lastTokenTo('erin@example.com');
    const confirmed = await browser.post('/devices/confirm', { _csrf: csrfField(sent.text), device, token: code });
    expect(confirmed).toMatchObject({ status: 303, location: expect.stringMatching(/^\/devices\?notice=/) });
    const notice = readMail(smtp.lastTo('erin@example.com'));
    expect(notice.subject).toBe('A sign-in method was added to your account');
    expect(notice.text).toMatch(/^A sign-in method was added to your account on .+ UTC: codes by email\./);
    for (const secret of [code, 'erin@example.com']) expect(notice.text).not.toContain(secret);
    expect((await browser.get('/outbox')).status).toBe(404);
  });
});

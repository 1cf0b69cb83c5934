/**
 * Without SMTP_URL the demo mails to its /outbox page, which any session of the user may read
 * (it stands in for the inbox, so it cannot sit behind the second factor): a password-only session
 * asks its email device for a code and reads it there. On a developer's machine that is the point;
 * in production it makes the email factor worthless, so production refuses to start without SMTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeClock } from '@otpkit/core/testing';
import { startDemoServer, type DemoServer } from '../../packages/demo/src/test-support/demo-server.js';
import { csrfField, HttpSession } from '../../packages/demo/src/test-support/http-session.js';
import { startDemo } from '../../packages/demo/src/test-support/start-demo.js';

const PASSWORD = 'correct horse battery';
const dir = mkdtempSync(join(tmpdir(), 'otpkit-outbox-'));
const clock = new FakeClock(Date.now());
let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ clock: clock.now });
});
afterAll(async () => {
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('with the development outbox, a password-only session reads the login code (why production refuses it)', async () => {
  const owner = new HttpSession(demo.url);
  const form = await owner.get('/register');
  await owner.post('/register', { _csrf: csrfField(form.text), username: 'outboxed', email: 'outboxed@example.com', password: PASSWORD });
  const email = await owner.get('/devices/email');
  const started = await owner.post('/devices/email', { _csrf: csrfField(email.text), email: 'outboxed@example.com' });
  const device = /name="device" value="([^"]+)"/.exec(started.text)![1]!;
  // The outbox lists the newest message first.
  const code = (text: string) => /code is (\d{6})/.exec(text)![1]!;
  expect(await owner.post('/devices/confirm', { _csrf: csrfField(started.text), device, token: code((await owner.get('/outbox')).text) })).toMatchObject({ status: 303 });

  clock.advanceSeconds(61);
  const attacker = new HttpSession(demo.url);
  const login = await attacker.get('/account/login');
  await attacker.post('/account/login', { _csrf: csrfField(login.text), username: 'outboxed', password: PASSWORD });
  const verify = await attacker.get('/account/verify');
  await attacker.post('/account/verify', { _csrf: csrfField(verify.text), otp_device: device, otp_challenge: '1' });
  const page = await attacker.get('/account/verify');
  const done = await attacker.post('/account/verify', { _csrf: csrfField(page.text), otp_token: code((await attacker.get('/outbox')).text), next: '/secret' });
  expect(done).toMatchObject({ status: 303, location: '/secret' });
});

it('production refuses to start without SMTP_URL', async () => {
  await expect(startDemo({ NODE_ENV: 'production', DEMO_DB: join(dir, 'demo.sqlite'), REDIS_URL: 'redis://127.0.0.1:1' })).rejects.toThrow(
    /exited with 1: otpkit demo: NODE_ENV=production needs SMTP_URL/,
  );
});

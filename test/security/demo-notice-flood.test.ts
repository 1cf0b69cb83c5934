/**
 * The demo mails a notice to the account's address on every change to its factors. That address
 * is whatever was typed at registration, never confirmed, so a stranger registers with a target's
 * address and regenerates backup codes in a loop (a recent verification lasts 5 minutes, and each
 * batch holds the next code): one mail per click, without bound. Notices are now capped per user
 * per day.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeClock } from '@otpkit/core/testing';
import { startDemoServer, type DemoServer } from '../../packages/demo/src/test-support/demo-server.js';
import { csrfField, HttpSession } from '../../packages/demo/src/test-support/http-session.js';

const clock = new FakeClock(Date.now());
let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ clock: clock.now });
});
afterAll(async () => demo?.close());

const codesOf = (text: string) => [...text.matchAll(/<li>([a-z0-9]{1,5}(?:-[a-z0-9]{1,5})*)<\/li>/g)].map((match) => match[1]!);

it('regenerating backup codes in a loop does not mail the registered address without bound', async () => {
  const stranger = new HttpSession(demo.url);
  const form = await stranger.get('/register');
  await stranger.post('/register', { _csrf: csrfField(form.text), username: 'mailbomb', email: 'target@example.com', password: 'correct horse battery' });
  let codes = codesOf((await stranger.post('/devices/backup-codes', { _csrf: csrfField((await stranger.get('/devices')).text) })).text);
  const verify = await stranger.get('/account/verify');
  expect(await stranger.post('/account/verify', { _csrf: csrfField(verify.text), otp_token: codes[0]!, next: '/devices' })).toMatchObject({ status: 303 });
  for (let round = 0; round < 30; round += 1) {
    codes = codesOf((await stranger.post('/devices/backup-codes', { _csrf: csrfField((await stranger.get('/devices')).text) })).text);
    expect(codes).toHaveLength(10);
  }
  expect(demo.parts.outbox!.messagesTo(['target@example.com']).length).toBeLessThanOrEqual(10);
});

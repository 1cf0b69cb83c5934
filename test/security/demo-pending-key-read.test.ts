/**
 * The demo's TOTP set-up page (`GET /devices/totp/:id`) shows the key of any unconfirmed TOTP
 * device of the user, to any session of that user while the user has no confirmed device. A
 * password-only attacker polls /devices, sees the victim's enrolment in progress, opens its page
 * and copies the key; the victim then confirms the device they believe is theirs alone, and the
 * attacker holds a working second factor for good, with no foreign device in the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '@otpkit/core/testing';
import { startDemoServer, type DemoServer } from '../../packages/demo/src/test-support/demo-server.js';
import { csrfField, HttpSession } from '../../packages/demo/src/test-support/http-session.js';

const PASSWORD = 'correct horse battery';

describe('the demo shows a pending TOTP key only to the session that started the enrolment', () => {
  const clock = new FakeClock(Date.now());
  let demo: DemoServer;
  beforeAll(async () => {
    demo = await startDemoServer({ clock: clock.now });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it("another session with the password cannot read the victim's pending TOTP key", async () => {
    const victim = new HttpSession(demo.url);
    const form = await victim.get('/register');
    expect(await victim.post('/register', { _csrf: csrfField(form.text), username: 'pending-key', email: 'pending-key@example.com', password: PASSWORD })).toMatchObject({ status: 303 });
    const devices = await victim.get('/devices');
    const started = await victim.post('/devices/totp', { _csrf: csrfField(devices.text) });
    expect(started.status).toBe(303);
    const setupPath = started.location!;
    expect((await victim.get(setupPath)).text).toContain('class="key"');

    const attacker = new HttpSession(demo.url);
    const login = await attacker.get('/account/login');
    expect(await attacker.post('/account/login', { _csrf: csrfField(login.text), username: 'pending-key', password: PASSWORD })).toMatchObject({ status: 303 });
    expect((await attacker.get('/devices')).text).toContain(setupPath.split('/').pop()!);
    const page = await attacker.get(setupPath);
    expect(page.text).not.toContain('class="key"');
  });
});

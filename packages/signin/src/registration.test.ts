import type { EventMeta, SignInAddress } from '@otpkit/core';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { createSignIn } from '@otpkit/signin';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { expect, it } from 'vitest';
import { signInFixture } from './test-support/signin-fixture.js';

describeOnEachBackend('registration on first sign-in', (block) => {
  const fixture = signInFixture(block);
  const emailDevices = async (email: string) => Number((await block.database.knex('otp_email_device').where('email', email).count({ n: '*' }).first())?.n);
  /** A register option that records its calls and names users after a counter. */
  const registrar = () => {
    const calls: { address: SignInAddress; meta: EventMeta }[] = [];
    let next = 0;
    const register = async (address: SignInAddress, meta: EventMeta) => {
      calls.push({ address, meta });
      next += 1;
      return `registered-${block.backend.name}-${Date.now()}-${next}`;
    };
    return { calls, register };
  };

  it('is off by default: an unknown address is sent nothing and its codes sign no one in', async () => {
    const signIn = fixture.signIn();
    const { phone } = fixture.fresh();
    await signIn.start({ phone });
    await signIn.idle();
    expect(fixture.twilio.messages.some((message) => message.to === phone)).toBe(false);
    expect(await signIn.finish({ phone, code: '123456' })).toEqual({ ok: false, reason: 'invalid_token' });
  });

  it('creates the user and their confirmed login device when the code sent to a new address comes back', async () => {
    const { calls, register } = registrar();
    const signIn = fixture.signIn({ register });
    const { phone } = fixture.fresh();
    expect(await signIn.start({ phone: phone.replace('+1', '+1 ') })).toMatchObject({ ok: true });
    await signIn.idle();
    const code = fixture.twilio.lastTokenTo(phone);
    const pending = JSON.stringify(await block.database.knex('otp_signin_pending').select('*'));
    expect(pending).not.toContain(code);
    expect(pending).not.toContain(phone);
    const signedIn = await signIn.finish({ phone, code }, { ip: '192.0.2.20', via: 'api' });
    expect(signedIn).toMatchObject({ ok: true, method: 'sms', registered: true });
    expect(calls).toEqual([{ address: { phone }, meta: { ip: '192.0.2.20', via: 'api' } }]);
    if (!signedIn.ok) return;
    expect(signedIn.device).toMatchObject({ userId: signedIn.userId, confirmed: true, purpose: 'login', number: phone });
    // The code is spent; the address now signs in through its new device.
    expect(await signIn.finish({ phone, code })).toEqual({ ok: false, reason: 'invalid_token' });
    fixture.clock.advanceSeconds(5); // past the throttle of the spent code's retry
    expect(await signIn.finish({ phone, code: await fixture.codeSentTo(signIn, { phone }) })).toMatchObject({ ok: true, userId: signedIn.userId, registered: false });
  });

  it('SMS pumping through registration: codes to an unknown number count against core\'s daily limit for the destination', async () => {
    const { register } = registrar();
    const otp = fixture.otpWith({ clock: fixture.clock.now, sendLimits: { perDestination: 2 } });
    const roomy = () => new RateLimiterMemory({ points: 100, duration: 60 });
    const signIn = createSignIn(otp, { register, sleep: async (ms) => fixture.clock.advance(ms), limits: { addressSends: roomy(), addressDailySends: roomy() } });
    const { phone } = fixture.fresh();
    for (let send = 0; send < 4; send += 1) {
      expect(await signIn.start({ phone })).toMatchObject({ ok: true });
      await signIn.idle();
    }
    expect(fixture.twilio.messages.filter((message) => message.to === phone)).toHaveLength(2);
  });

  it('registration with a wrong code creates nothing, and five wrong codes withdraw it', async () => {
    const { calls, register } = registrar();
    // Room for the wrong codes: the point is the registration's own attempt counter.
    const signIn = fixture.signIn({ register, limits: { addressFailures: new RateLimiterMemory({ points: 100, duration: 60 }) } });
    const { email } = fixture.fresh();
    const code = await fixture.codeSentTo(signIn, { email });
    const wrong = code === '000000' ? '000001' : '000000';
    for (let attempt = 0; attempt < 5; attempt += 1) expect(await signIn.finish({ email, code: wrong })).toEqual({ ok: false, reason: 'invalid_token' });
    expect(await signIn.finish({ email, code })).toEqual({ ok: false, reason: 'invalid_token' });
    expect(calls).toEqual([]);
    expect(await emailDevices(email)).toBe(0);
  });

  it('an expired registration code creates nothing', async () => {
    const { calls, register } = registrar();
    const signIn = fixture.signIn({ register });
    const { email } = fixture.fresh();
    const code = await fixture.codeSentTo(signIn, { email });
    fixture.clock.advanceSeconds(301);
    expect(await signIn.finish({ email, code })).toEqual({ ok: false, reason: 'invalid_token' });
    expect(calls).toEqual([]);
  });

  it('50 racing finish calls with one registration code create exactly one account', async () => {
    const { calls, register } = registrar();
    const signIn = fixture.signIn({ register, limits: { addressFailures: new RateLimiterMemory({ points: 1000, duration: 60 }) } });
    const { email } = fixture.fresh();
    const code = await fixture.codeSentTo(signIn, { email });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => signIn.finish({ email, code })));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(await emailDevices(email)).toBe(1);
  });
});

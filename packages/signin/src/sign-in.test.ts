import { ValidationError } from '@otpkit/core';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { createSignIn } from '@otpkit/signin';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { INVALID_NUMBER } from '../../sms/src/test-support/twilio-server.js';
import { signInFixture } from './test-support/signin-fixture.js';

describeOnEachBackend('sign-in by code', (block) => {
  const fixture = signInFixture(block);

  describe('by SMS', () => {
    it('texts a code to a login phone, and the code signs the user in once', async () => {
      const signIn = fixture.signIn();
      const { userId, phone, device } = await fixture.phoneUser();
      expect(await signIn.start({ phone: phone.replace('+1415', '+1 (415) ') }, { ip: '192.0.2.1' })).toEqual({ ok: true, validUntil: expect.any(Number) });
      await signIn.idle();
      const code = fixture.twilio.lastTokenTo(phone);
      const signedIn = await signIn.finish({ phone, code }, { ip: '192.0.2.1' });
      expect(signedIn).toMatchObject({ ok: true, userId, method: 'sms', registered: false });
      expect(signedIn.ok && signedIn.device.persistentId).toBe(device.persistentId);
      expect(await signIn.finish({ phone, code })).toEqual({ ok: false, reason: 'invalid_token' });
    });

    it('login phone is not a second factor: the code it texts never verifies a password sign-in', async () => {
      const signIn = fixture.signIn();
      const { userId, phone, device } = await fixture.phoneUser('login');
      await signIn.start({ phone });
      await signIn.idle();
      const code = fixture.twilio.lastTokenTo(phone);
      expect(await fixture.otp.verify(userId, device.persistentId, code)).toEqual({ ok: false, reason: 'no_device' });
      expect(await fixture.otp.userHasDevice(userId)).toBe(false);
      expect(await signIn.finish({ phone, code })).toMatchObject({ ok: true, userId });
    });

    it('a second-factor phone does not sign in on its own: nothing is sent to it', async () => {
      const signIn = fixture.signIn();
      const { phone } = await fixture.phoneUser('second-factor');
      const sent = fixture.twilio.messages.length;
      expect(await signIn.start({ phone })).toMatchObject({ ok: true });
      await signIn.idle();
      expect(fixture.twilio.messages.length).toBe(sent);
      expect(await signIn.finish({ phone, code: '123456' })).toEqual({ ok: false, reason: 'invalid_token' });
    });
  });

  describe('by email', () => {
    it('mails a code to a login inbox, found whatever the case of its domain', async () => {
      const signIn = fixture.signIn();
      const { userId, email } = await fixture.emailUser('both');
      expect(await signIn.start({ email: ` ${email.replace('example.test', 'EXAMPLE.test')} ` })).toMatchObject({ ok: true });
      await signIn.idle();
      const code = fixture.smtp.lastTokenTo(email);
      expect(await signIn.finish({ email, code })).toMatchObject({ ok: true, userId, method: 'email', registered: false });
    });

    it('with findUser, signs in through the users table and the device whose destination is the address', async () => {
      const { userId, email } = await fixture.emailUser('login');
      const asked: unknown[] = [];
      const signIn = fixture.signIn({ findUser: (address) => (asked.push(address), 'email' in address && address.email === email ? userId : null) });
      await signIn.start({ email });
      await signIn.idle();
      expect(asked).toEqual([{ email }]);
      expect(await signIn.finish({ email, code: fixture.smtp.lastTokenTo(email) })).toMatchObject({ ok: true, userId });
    });
  });

  it('unknown address gets the same answer and sends nothing', async () => {
    const signIn = fixture.signIn();
    const known = await fixture.phoneUser();
    const unknown = fixture.fresh();
    const at = fixture.clock.now();
    fixture.clock.set(at);
    const knownAnswer = await signIn.start({ phone: known.phone });
    fixture.clock.set(at);
    const unknownAnswer = await signIn.start({ phone: unknown.phone });
    fixture.clock.set(at);
    const unknownMail = await signIn.start({ email: unknown.email });
    expect(unknownAnswer).toEqual(knownAnswer);
    expect(unknownMail).toEqual(knownAnswer);
    await signIn.idle();
    expect(fixture.twilio.messages.some((message) => message.to === known.phone)).toBe(true);
    expect(fixture.twilio.messages.some((message) => message.to === unknown.phone)).toBe(false);
    expect(fixture.smtp.messages.some((message) => message.to.includes(unknown.email))).toBe(false);
  });

  it('enumeration by timing: the known and the unknown path both take at least the envelope', async () => {
    // The system clock and real timers: what an attacker measures.
    const otp = fixture.otpWith();
    const signIn = createSignIn(otp, { envelopeMs: 300 });
    const known = await fixture.phoneUser();
    const took = async (phone: string) => {
      const started = Date.now();
      await signIn.start({ phone });
      return Date.now() - started;
    };
    const times = [await took(known.phone), await took(fixture.fresh().phone), await took(known.phone), await took(fixture.fresh().phone)];
    for (const time of times) expect(time).toBeGreaterThanOrEqual(300);
    await signIn.idle();
    // The fake clock: both answers come exactly at the end of the envelope, measured with otp.clock.
    const waits: number[] = [];
    const faked = fixture.signIn({ envelopeMs: 500, sleep: async (ms) => (waits.push(ms), fixture.clock.advance(ms)) });
    for (const phone of [fixture.fresh().phone, (await fixture.phoneUser()).phone]) {
      const started = fixture.clock.now();
      await faked.start({ phone });
      expect(fixture.clock.now() - started).toBe(500);
    }
    expect(waits).toEqual([500, 500]);
    await faked.idle();
  });

  it('50 racing finish calls with one code give exactly one session', async () => {
    // Room for every loser's miss: the point is the one winner, not the limit.
    const signIn = fixture.signIn({ limits: { addressFailures: new RateLimiterMemory({ points: 1000, duration: 60 }) } });
    const { userId, phone } = await fixture.phoneUser();
    const code = await fixture.codeSentTo(signIn, { phone });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => signIn.finish({ phone, code })));
    expect(outcomes.filter((outcome) => outcome.ok)).toEqual([expect.objectContaining({ ok: true, userId })]);
    expect(new Set(outcomes.filter((outcome) => !outcome.ok).map((outcome) => outcome.ok || outcome.reason))).toEqual(new Set(['invalid_token']));
  });

  it('a wrong code gets the refusal an unknown address gets', async () => {
    const signIn = fixture.signIn();
    const { phone } = await fixture.phoneUser();
    const right = await fixture.codeSentTo(signIn, { phone });
    const wrong = right === '000000' ? '000001' : '000000';
    expect(await signIn.finish({ phone, code: wrong })).toEqual({ ok: false, reason: 'invalid_token' });
    expect(await signIn.finish({ phone: fixture.fresh().phone, code: wrong })).toEqual({ ok: false, reason: 'invalid_token' });
  });

  it('code guessing per address is throttled, for known and unknown addresses alike', async () => {
    const signIn = fixture.signIn();
    const { phone } = await fixture.phoneUser();
    const right = await fixture.codeSentTo(signIn, { phone });
    const unknown = fixture.fresh().phone;
    for (const address of [phone, unknown]) {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        expect(await signIn.finish({ phone: address, code: right === '999999' ? '999998' : '999999' })).toEqual({ ok: false, reason: 'invalid_token' });
      }
    }
    const now = fixture.clock.now();
    const throttled = await signIn.finish({ phone, code: right });
    expect(throttled).toEqual({ ok: false, reason: 'throttled', retryAt: expect.any(Number) });
    expect(!throttled.ok && throttled.reason === 'throttled' && throttled.retryAt).toBeGreaterThan(now);
    expect(await signIn.finish({ phone: unknown, code: right })).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('code guessing in parallel from one client: racing wrong codes cannot pass the per-client limit', async () => {
    const signIn = fixture.signIn();
    const phones = Array.from({ length: 40 }, () => fixture.fresh().phone);
    const answers = await Promise.all(phones.map((phone) => signIn.finish({ phone, code: '123456' }, { ip: '203.0.113.66' })));
    const reasons = answers.map((answer) => (answer.ok ? 'ok' : answer.reason));
    expect(reasons.filter((reason) => reason === 'invalid_token')).toHaveLength(20);
    expect(reasons.filter((reason) => reason === 'rate_limited')).toHaveLength(20);
  });

  it('email case variants are one address: they share its send limit and sign in its user, never register a second account', async () => {
    const register = async () => 'never-called';
    const signIn = fixture.signIn({ register });
    const { userId, email } = await fixture.emailUser('login');
    const shouted = email.toUpperCase();
    expect(await signIn.start({ email: shouted })).toMatchObject({ ok: true });
    await signIn.idle();
    const code = fixture.smtp.lastTokenTo(email);
    expect(await signIn.finish({ email: shouted, code })).toMatchObject({ ok: true, userId, registered: false });
    const other = fixture.fresh().email;
    const variants = [other, other.toUpperCase(), other.replace('user', 'User')];
    for (const variant of variants) expect(await signIn.start({ email: variant }, { ip: `198.51.100.${variants.indexOf(variant)}` })).toMatchObject({ ok: true });
    expect(await signIn.start({ email: other.replace('user', 'USER') }, { ip: '198.51.100.9' })).toMatchObject({ ok: false, reason: 'rate_limited' });
    await signIn.idle();
  });

  it('send flooding per address is rate limited, for known and unknown addresses alike', async () => {
    const signIn = fixture.signIn();
    const known = (await fixture.phoneUser()).phone;
    const unknown = fixture.fresh().phone;
    for (const phone of [known, unknown]) {
      for (let send = 0; send < 3; send += 1) expect(await signIn.start({ phone }, { ip: `198.51.100.${send}` })).toMatchObject({ ok: true });
      const limited = await signIn.start({ phone }, { ip: '198.51.100.99' });
      expect(limited).toEqual({ ok: false, reason: 'rate_limited', retryAt: expect.any(Number) });
      expect(!limited.ok && limited.retryAt).toBeGreaterThan(fixture.clock.now());
    }
    await signIn.idle();
    // The first send reached the phone; the cooldown and the limit kept the others from it.
    expect(fixture.twilio.messages.filter((message) => message.to === known)).toHaveLength(1);
  });

  it('send flooding per IP is rate limited', async () => {
    const signIn = fixture.signIn();
    const answers = [];
    for (let send = 0; send < 11; send += 1) answers.push(await signIn.start({ email: fixture.fresh().email }, { ip: '203.0.113.7' }));
    expect(answers.slice(0, 10).every((answer) => answer.ok)).toBe(true);
    expect(answers[10]).toEqual({ ok: false, reason: 'rate_limited', retryAt: expect.any(Number) });
    expect(await signIn.start({ email: fixture.fresh().email }, { ip: '203.0.113.8' })).toMatchObject({ ok: true });
    await signIn.idle();
  });

  it('a delivery that fails is reported to the logger without the address, never to the caller', async () => {
    const warnings: string[] = [];
    const register = async () => 'never-registered';
    const signIn = fixture.signIn({ register, logger: { warn: (message) => warnings.push(message) } });
    const pending = async () => Number((await block.database.knex('otp_signin_pending').count({ n: '*' }).first())?.n);
    const before = await pending();
    // Twilio's test number that is never a valid recipient: the provider refuses it.
    expect(await signIn.start({ phone: INVALID_NUMBER })).toMatchObject({ ok: true });
    await signIn.idle();
    expect(warnings).toEqual(['signin: a registration code could not be sent (ERR_OTP_DELIVERY)']);
    expect(warnings.join()).not.toContain(INVALID_NUMBER.slice(1));
    // The registration was withdrawn with its code.
    expect(await pending()).toBe(before);
  });

  it('bad input: addresses throw a ValidationError, codes of any shape are refused, nothing crashes', async () => {
    const signIn = fixture.signIn();
    const huge = 'x'.repeat(1_000_000);
    for (const address of [undefined, null, 42, 'alice@example.test', [], {}, { phone: 14155550100 }, { phone: huge }, { phone: '+0123' }, { email: {} }, { email: huge }, { email: 'a@b@c' }, { phone: '+14155550100', email: 'a@example.test' }]) {
      await expect(signIn.start(address)).rejects.toBeInstanceOf(ValidationError);
      await expect(signIn.finish(address)).rejects.toBeInstanceOf(ValidationError);
    }
    const { phone } = await fixture.phoneUser();
    for (const code of [undefined, null, 123456, {}, [], huge, '12 34 56 78 90 12 34 56 78 90 12 34 56 78 90 12 34 56 78 90 12 34 56 78 90 12 34 56 78 90', '<script>']) {
      expect(await signIn.finish({ phone, code })).toEqual({ ok: false, reason: 'invalid_token' });
    }
  });

  it('answers a ValidationError for a method that is not served', async () => {
    const signIn = fixture.signIn({ methods: ['email'] });
    await expect(signIn.start({ phone: '+14155550100' })).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'phone' });
  });
});

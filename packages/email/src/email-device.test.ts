import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ConfigurationError, createOtp, DeliveryError, isRescueChannel, ValidationError } from '@otpkit/core';
import { FakeClock, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { email, EmailDevice, type EmailDeviceInput, type EmailOptions } from '@otpkit/email';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailCodesExample } from './examples/email-codes.js';
import { startSmtpSink, type SmtpSink } from './test-support/smtp-sink.js';
import { createUsersTable } from './test-support/users-table.js';

const FROM = 'otpkit <otp@example.test>';

for (const backend of testBackends()) {
  describe(`email devices on ${backend.name}`, () => {
    let database: TestDatabase;
    let sink: SmtpSink;
    const clock = new FakeClock();
    let nextUser = 1;
    type TestOtp = ReturnType<typeof otpWith>;
    const otpWith = (options: Partial<EmailOptions> = {}) =>
      createOtp({
        knex: database.knex,
        devices: [email({ transport: sink.url, from: FROM, ...options })],
        clock: clock.now,
        logger: { warn: () => {} },
      });
    const enrol = async (otp: TestOtp, input: EmailDeviceInput = {}) => {
      const userId = nextUser++;
      const address = `mail-user-${userId}@example.test`;
      const device = await otp.createDevice('email', userId, { confirmed: true, email: address, ...input });
      return { userId, address, device };
    };
    const insertUser = async (username: string, address: string | null): Promise<number> => {
      await database.knex('users').insert({ username, email: address });
      return Number((await database.knex('users').where({ username }).first()).id);
    };
    const reload = async (otp: TestOtp, device: EmailDevice) => (await otp.deviceFromPersistentId<EmailDevice>(device.persistentId))!;

    beforeAll(async () => {
      database = await backend.createDatabase();
      sink = await startSmtpSink();
      await createUsersTable(database.knex);
      await otpWith().migrate();
    });
    afterAll(async () => {
      await sink?.close();
      await database?.destroy();
    });

    it('mails a 6-digit token that verifies once, with the configured sender and default templates', async () => {
      const otp = otpWith();
      const { userId, address, device } = await enrol(otp);
      const outcome = await otp.generateChallenge(userId, device.persistentId);
      expect(outcome).toMatchObject({ ok: true, message: 'sent by email', validUntil: clock.now() + 300_000 });
      const mail = sink.lastTo(address);
      expect(mail.from).toBe('otp@example.test');
      expect(mail.raw).toContain('Subject: Your verification code');
      const token = sink.lastTokenTo(address);
      expect(token).toMatch(/^[0-9]{6}$/);
      expect(mail.raw).toContain(`Your verification code is ${token}. It expires in 5 minutes.`);
      expect(mail.raw).toContain(`<strong>${token}</strong>`);
      expect(await otp.verifyToken(userId, device.persistentId, token)).not.toBeNull();
      expect(await otp.verifyToken(userId, device.persistentId, token)).toBeNull();
    });

    it('accepts the token until just before validUntil and refuses it from validUntil on', async () => {
      const otp = otpWith();
      const { userId, address, device } = await enrol(otp);
      await otp.generateChallenge(userId, device.persistentId);
      clock.advance(300_000 - 1);
      expect(await otp.verifyToken(userId, device.persistentId, sink.lastTokenTo(address))).not.toBeNull();

      const sent = await otp.generateChallenge(userId, device.persistentId);
      expect(sent.ok && sent.validUntil).toBe(clock.now() + 300_000);
      clock.advance(300_000);
      expect(await otp.verifyToken(userId, device.persistentId, sink.lastTokenTo(address))).toBeNull();
    });

    it('refuses a new send for 60 s with nextAt, then sends a token that replaces the old one', async () => {
      const otp = otpWith();
      const { userId, address, device } = await enrol(otp);
      const firstAt = clock.now();
      await otp.generateChallenge(userId, device.persistentId);
      const first = sink.lastTokenTo(address);
      const sentBefore = sink.messages.length;
      clock.advance(59_999);
      expect(await otp.generateChallenge(userId, device.persistentId)).toEqual({ ok: false, reason: 'cooldown', nextAt: firstAt + 60_000 });
      expect((await reload(otp, device)).generateIsAllowed()).toEqual({ allowed: false, reason: 'cooldown', nextAt: firstAt + 60_000 });
      expect(sink.messages.length).toBe(sentBefore);
      clock.advance(1);
      expect((await otp.generateChallenge(userId, device.persistentId)).ok).toBe(true);
      const second = sink.lastTokenTo(address);
      if (second !== first) expect(await otp.verifyToken(userId, device.persistentId, first)).toBeNull();
      clock.advanceSeconds(2);
      expect(await otp.verifyToken(userId, device.persistentId, second)).not.toBeNull();
    });

    it('lifts the cooldown after a valid verification', async () => {
      const otp = otpWith();
      const { userId, address, device } = await enrol(otp);
      await otp.generateChallenge(userId, device.persistentId);
      expect(await otp.verifyToken(userId, device.persistentId, sink.lastTokenTo(address))).not.toBeNull();
      const after = await reload(otp, device);
      expect([after.validUntil, after.lastGeneratedAt]).toEqual([null, null]);
      expect((await otp.generateChallenge(userId, device.persistentId)).ok).toBe(true);
    });

    it("mails the user's address from the users table when a device created confirmed has none", async () => {
      const otp = otpWith();
      const userId = await insertUser('ann', 'ann@users.example');
      const device = await otp.createDevice('email', userId, { confirmed: true });
      expect(device.email).toBeNull();
      await otp.generateChallenge(userId, device.persistentId);
      expect(await otp.verifyToken(userId, device.persistentId, sink.lastTokenTo('ann@users.example'))).not.toBeNull();
    });

    it("keeps the user's address of its enrolment when given none, so a later change of users.email does not redirect its codes", async () => {
      const otp = otpWith();
      const userId = await insertUser('cid', ' cid@Users.example ');
      const device = await otp.createDevice('email', userId);
      expect(device.email).toBe('cid@users.example');
      await otp.generateChallenge(userId, device.persistentId);
      expect((await otp.confirmDevice(userId, device.persistentId, sink.lastTokenTo('cid@users.example'))).ok).toBe(true);
      await database.knex('users').where({ username: 'cid' }).update({ email: 'mallory@evil.example' });
      clock.advanceSeconds(61);
      await otp.generateChallenge(userId, device.persistentId);
      expect(await otp.verifyToken(userId, device.persistentId, sink.lastTokenTo('cid@users.example'))).not.toBeNull();
      expect(sink.messages.filter((message) => message.to.includes('mallory@evil.example'))).toHaveLength(0);
    });

    it('carries a rescue only through an address of its own that its enrolment confirmed', async () => {
      const otp = otpWith();
      const { address, device } = await enrol(otp);
      expect(isRescueChannel(device)).toBe(true);
      expect(device.rescueAddress()).toBe(address);
      const pending = await otp.createDevice('email', nextUser++, { email: 'pending@example.test' });
      expect(isRescueChannel(pending)).toBe(false);
      const follower = await otp.createDevice('email', await insertUser('nomail', null), { confirmed: true });
      expect(isRescueChannel(follower)).toBe(false);
      await expect((follower as EmailDevice).notice('subject', 'text')).rejects.toThrow(DeliveryError);
    });

    it('refuses a users-table address that is not exactly one address for a device enrolled without one', async () => {
      const otp = otpWith();
      const userId = await insertUser('eve', 'a@evil.example,victim@example.test');
      const error = await otp.createDevice('email', userId).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('email');
    });

    it('fills extra context, escapes it in HTML only, and lets the challenge context replace a template', async () => {
      const otp = otpWith({
        subject: '{appName} code',
        text: 'Hi {who}, {token} ({appName})',
        html: '<p>Hi {who}, {token}</p>',
        context: { appName: 'Acme & Co' },
      });
      const { userId, address, device } = await enrol(otp);
      await otp.generateChallenge(userId, device.persistentId, { who: '<b>Ann</b>', subject: 'Sign in to {appName}' });
      const { raw } = sink.lastTo(address);
      const token = sink.lastTokenTo(address);
      expect(raw).toContain('Subject: Sign in to Acme & Co');
      expect(raw).toContain(`Hi <b>Ann</b>, ${token} (Acme & Co)`);
      expect(raw).toContain(`<p>Hi &lt;b&gt;Ann&lt;/b&gt;, ${token}</p>`);
    });

    it('sends through a nodemailer transporter as well as an SMTP URL', async () => {
      const transporter = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true });
      const otp = otpWith({ transport: transporter, html: null });
      const { userId, address, device } = await enrol(otp);
      await otp.generateChallenge(userId, device.persistentId);
      expect(sink.lastTo(address).raw).not.toContain('text/html');
      expect(await otp.verifyToken(userId, device.persistentId, sink.lastTokenTo(address))).not.toBeNull();
    });

    it('throws a DeliveryError when the SMTP server is down and leaves no pending token and no cooldown', async () => {
      const down = await startSmtpSink();
      await down.close();
      const otp = otpWith({ transport: down.url });
      const { userId, address, device } = await enrol(otp);
      const error = await otp.generateChallenge(userId, device.persistentId).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).code).toBe('ERR_OTP_DELIVERY');
      expect((error as DeliveryError).message).toBe('The token could not be delivered');
      expect((error as DeliveryError).cause).toBeInstanceOf(Error);
      const after = await reload(otp, device);
      expect([after.validUntil, after.lastGeneratedAt]).toEqual([null, null]);
      expect(after.generateIsAllowed()).toEqual({ allowed: true });
      const up = otpWith();
      expect((await up.generateChallenge(userId, device.persistentId)).ok).toBe(true);
      expect(await up.verifyToken(userId, device.persistentId, sink.lastTokenTo(address))).not.toBeNull();
    });

    it('keeps an earlier, still valid token working when a resend fails', async () => {
      const otp = otpWith();
      const { userId, address, device } = await enrol(otp);
      await otp.generateChallenge(userId, device.persistentId);
      const delivered = sink.lastTokenTo(address);
      const sentAt = clock.now();
      clock.advanceSeconds(60);
      const down = await startSmtpSink();
      await down.close();
      await expect(otpWith({ transport: down.url }).generateChallenge(userId, device.persistentId)).rejects.toThrow(DeliveryError);
      const after = await reload(otp, device);
      expect([after.validUntil, after.lastGeneratedAt]).toEqual([sentAt + 300_000, sentAt]);
      expect(await otp.verifyToken(userId, device.persistentId, delivered)).not.toBeNull();
    });

    it('throws a DeliveryError without the address when neither the device nor the user has one', async () => {
      const otp = otpWith();
      const userId = await insertUser('bob', null);
      const device = await otp.createDevice('email', userId, { confirmed: true });
      await expect(otp.generateChallenge(userId, device.persistentId)).rejects.toThrow(DeliveryError);
      expect((await reload(otp, device)).lastGeneratedAt).toBeNull();
    });

    it('refuses a malformed address at creation with a ValidationError', async () => {
      const otp = otpWith();
      for (const bad of ['', 'ann', 'ann@', '@example.test', 'a b@example.test', 42, `${'a'.repeat(250)}@x.io`]) {
        const error = await otp.createDevice('email', 'someone', { email: bad as string }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe('email');
      }
    });

    it('runs the documented example', async () => {
      process.env.OTP_KEY_1 = randomBytes(32).toString('base64');
      const userId = `example-${nextUser++}`;
      const result = await emailCodesExample(database.knex, sink.url, userId, async () => sink.lastTokenTo('ann@acme.example'));
      expect(result.sent).toMatchObject({ ok: true, message: 'sent by email' });
      expect(sink.lastTo('ann@acme.example').raw).toContain('Subject: Acme: your verification code');
      expect(result.confirmed.ok).toBe(true);
    });
  });
}

describe('email options', () => {
  const transport = 'smtp://127.0.0.1:2525';

  it('resolves the documented defaults into a frozen object', () => {
    const { options } = email({ transport, from: FROM });
    expect(options).toMatchObject({
      tokenDigits: 6,
      validitySeconds: 300,
      cooldownSeconds: 60,
      from: { name: 'otpkit', address: 'otp@example.test' },
      subject: 'Your verification code',
      text: 'Your verification code is {token}. It expires in {validMinutes} minutes.',
      html: '<p>Your verification code is <strong>{token}</strong>.</p><p>It expires in {validMinutes} minutes.</p>',
      context: {},
      throttle: { factor: 1 },
    });
    expect(typeof options.transport.sendMail).toBe('function');
    expect(Object.isFrozen(options)).toBe(true);
  });

  it.each([
    { from: FROM },
    { transport, from: '' },
    { transport: 42, from: FROM },
    { transport, from: FROM, subject: '' },
    { transport, from: FROM, html: 42 },
    { transport, from: FROM, tokenDigits: 4 },
    { transport, from: FROM, validitySeconds: -1 },
    { transport, from: FROM, throttle: { factor: -1 } },
  ])('refuses %o with a ConfigurationError', (bad) => {
    expect(() => email(bad as never)).toThrow(ConfigurationError);
  });
});

describe('docs/email.md', () => {
  it('quotes the example that the tests run, verbatim', () => {
    const doc = readFileSync(new URL('../../../docs/email.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./examples/email-codes.ts', import.meta.url), 'utf8');
    expect(doc).toContain(`\`\`\`ts\n${example.trimEnd()}\n\`\`\``);
  });
});

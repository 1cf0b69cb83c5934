import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { BUILT_IN_CATALOGS, ConfigurationError, createOtp, DeliveryError, ValidationError } from '@otpkit/core';
import { FakeClock, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { ConsoleProvider, sms, SMSDevice, TwilioProvider, type SmsOptions, type SmsProvider } from '@otpkit/sms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsCodesExample } from './examples/sms-codes.js';
import { ACCOUNT_SID, AUTH_TOKEN, INVALID_NUMBER, startTwilioServer, type TwilioServer } from './test-support/twilio-server.js';

const SENDER = '+15005550006';

for (const backend of testBackends()) {
  describe(`SMS devices on ${backend.name}`, () => {
    let database: TestDatabase;
    let twilio: TwilioServer;
    let provider: TwilioProvider;
    const clock = new FakeClock();
    let nextUser = 1;
    type TestOtp = ReturnType<typeof otpWith>;
    const otpWith = (options: Partial<SmsOptions> = {}) =>
      createOtp({ knex: database.knex, devices: [sms({ provider, ...options })], clock: clock.now, logger: { warn: () => {} } });
    const enrol = async (otp: TestOtp, number = `+4420794600${String(nextUser).padStart(2, '0')}`) => {
      const userId = `sms-user-${nextUser++}`;
      const device = await otp.createDevice('sms', userId, { confirmed: true, number });
      return { userId, device, number: device.number };
    };
    const reload = async (otp: TestOtp, device: SMSDevice) => (await otp.deviceFromPersistentId<SMSDevice>(device.persistentId))!;
    const expectNoPendingToken = async (otp: TestOtp, device: SMSDevice) => {
      const after = await reload(otp, device);
      expect([after.validUntil, after.lastGeneratedAt]).toEqual([null, null]);
      expect(after.generateIsAllowed()).toEqual({ allowed: true });
    };

    beforeAll(async () => {
      database = await backend.createDatabase();
      twilio = await startTwilioServer();
      provider = new TwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SENDER, baseUrl: twilio.baseUrl });
      await otpWith().migrate();
    });
    afterAll(async () => {
      await twilio?.close();
      await database?.destroy();
    });

    it('texts a 6-digit token through Twilio that verifies once', async () => {
      const otp = otpWith();
      const { userId, device, number } = await enrol(otp);
      const outcome = await otp.generateChallenge(userId, device.persistentId);
      expect(outcome).toMatchObject({ ok: true, message: 'sent by SMS', validUntil: clock.now() + 300_000 });
      const sent = twilio.lastTo(number);
      expect(sent.from).toBe(SENDER);
      expect(sent.body).toMatch(/^Your verification code is [0-9]{6}$/);
      const token = twilio.lastTokenTo(number);
      expect(await otp.verifyToken(userId, device.persistentId, token)).not.toBeNull();
      expect(await otp.verifyToken(userId, device.persistentId, token)).toBeNull();
    });

    it('expires the token at exactly validUntil', async () => {
      const otp = otpWith({ validitySeconds: 120 });
      const { userId, device, number } = await enrol(otp);
      const sent = await otp.generateChallenge(userId, device.persistentId);
      expect(sent.ok && sent.validUntil).toBe(clock.now() + 120_000);
      clock.advance(120_000);
      expect(await otp.verifyToken(userId, device.persistentId, twilio.lastTokenTo(number))).toBeNull();
    });

    it('keeps the cooldown from the last send until a valid verification lifts it', async () => {
      const otp = otpWith({ cooldownSeconds: 30 });
      const { userId, device, number } = await enrol(otp);
      const sentAt = clock.now();
      await otp.generateChallenge(userId, device.persistentId);
      clock.advance(29_999);
      expect(await otp.generateChallenge(userId, device.persistentId)).toEqual({ ok: false, reason: 'cooldown', nextAt: sentAt + 30_000 });
      expect(await otp.verifyToken(userId, device.persistentId, twilio.lastTokenTo(number))).not.toBeNull();
      expect((await otp.generateChallenge(userId, device.persistentId)).ok).toBe(true);
      expect((await reload(otp, device)).lastGeneratedAt).toBe(clock.now());
    });

    it('stores the number in E.164 form and refuses anything else with a ValidationError', async () => {
      const otp = otpWith();
      expect((await enrol(otp, '+1 (415) 555-0100')).number).toBe('+14155550100');
      for (const bad of [undefined, '', '4155550100', '+0155550100', '+1', '+1234567890123456', '+1 415 CALL-NOW', 14155550100]) {
        const error = await otp.createDevice('sms', 'someone', { number: bad as string }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe('number');
      }
    });

    it('fills extra context and lets the challenge context replace the text', async () => {
      const otp = otpWith({ text: '{appName}: {token}', context: { appName: 'Acme' } });
      const { userId, device, number } = await enrol(otp);
      await otp.generateChallenge(userId, device.persistentId, { text: '{token} is your {appName} code for {deviceName}' });
      expect(twilio.lastTo(number).body).toMatch(/^[0-9]{6} is your Acme code for Phone$/);
    });

    it('turns a Twilio refusal into a DeliveryError that echoes neither body, number nor token', async () => {
      const otp = otpWith();
      const { userId, device } = await enrol(otp, INVALID_NUMBER);
      const error = (await otp.generateChallenge(userId, device.persistentId).catch((caught: unknown) => caught)) as DeliveryError;
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error.message).toBe('The SMS provider refused the message (HTTP 400)');
      expect(String((error.cause as Error).message)).not.toContain(INVALID_NUMBER);
      expect(twilio.refusals.at(-1)).toBe(400);
      await expectNoPendingToken(otp, device);
    });

    it('turns bad credentials into a DeliveryError and leaves the device consistent', async () => {
      const wrong = new TwilioProvider({ accountSid: ACCOUNT_SID, authToken: 'wrong', from: SENDER, baseUrl: twilio.baseUrl });
      const otp = otpWith({ provider: wrong });
      const { userId, device } = await enrol(otp);
      await expect(otp.generateChallenge(userId, device.persistentId)).rejects.toMatchObject({
        code: 'ERR_OTP_DELIVERY',
        message: 'The SMS provider refused the message (HTTP 401)',
      });
      await expectNoPendingToken(otp, device);
    });

    it('turns an unreachable provider into a DeliveryError and leaves the device consistent', async () => {
      const closed = await startTwilioServer();
      await closed.close();
      const down = new TwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SENDER, baseUrl: closed.baseUrl });
      const otp = otpWith({ provider: down });
      const { userId, device } = await enrol(otp);
      const error = (await otp.generateChallenge(userId, device.persistentId).catch((caught: unknown) => caught)) as DeliveryError;
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error.message).toBe('The SMS provider could not be reached');
      expect(error.cause).toBeInstanceOf(Error);
      await expectNoPendingToken(otp, device);
    });

    it('wraps a custom provider failure in a DeliveryError', async () => {
      const failing: SmsProvider = { send: async () => Promise.reject(new Error('gateway down')) };
      const otp = otpWith({ provider: failing });
      const { userId, device } = await enrol(otp);
      const error = (await otp.generateChallenge(userId, device.persistentId).catch((caught: unknown) => caught)) as DeliveryError;
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error.cause as Error).message).toBe('gateway down');
      await expectNoPendingToken(otp, device);
    });

    it('prints the message with the console provider, after a development-only warning', async () => {
      const lines: string[] = [];
      const otp = otpWith({ provider: new ConsoleProvider({ print: (line) => lines.push(line) }) });
      expect(lines).toEqual(['[otpkit] ConsoleProvider prints SMS tokens: for development only, never in production.']);
      const { userId, device, number } = await enrol(otp);
      await otp.generateChallenge(userId, device.persistentId);
      const token = /([0-9]{6})$/.exec(lines[1]!)![1]!;
      expect(lines[1]).toBe(`[otpkit] SMS to ${number}: Your verification code is ${token}`);
      expect(await otp.verifyToken(userId, device.persistentId, token)).not.toBeNull();
    });

    it('runs the documented example', async () => {
      Object.assign(process.env, {
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        OTP_KEY_1: randomBytes(32).toString('base64'),
      });
      const result = await smsCodesExample(database.knex, twilio.baseUrl, `example-${nextUser++}`, async () =>
        twilio.lastTokenTo('+14155550199'),
      );
      expect(result.number).toBe('+14155550199');
      expect(result.sent).toMatchObject({ ok: true, message: 'sent by SMS' });
      expect(twilio.lastTo('+14155550199').body).toMatch(/^Acme code: [0-9]{6}$/);
      expect(result.verified).toBeInstanceOf(SMSDevice);
    });
  });
}

describe('sms options', () => {
  const provider = new ConsoleProvider({ print: () => {} });

  it('resolves the documented defaults into a frozen object; the text left out is the catalog’s', () => {
    const { options } = sms({ provider });
    expect(options).toEqual({
      provider,
      tokenDigits: 6,
      validitySeconds: 300,
      cooldownSeconds: 60,
      context: {},
      throttle: { factor: 1 },
    });
    expect(Object.isFrozen(options)).toBe(true);
    expect(BUILT_IN_CATALOGS.en!['sms.code.text']).toBe('Your verification code is {token}');
  });

  it.each([{}, { provider: {} }, { provider, text: '' }, { provider, tokenDigits: 11 }, { provider, cooldownSeconds: -5 }, { provider, context: null }])(
    'refuses %o with a ConfigurationError',
    (bad) => {
      expect(() => sms(bad as never)).toThrow(ConfigurationError);
    },
  );

  it.each([
    { authToken: AUTH_TOKEN, from: SENDER },
    { accountSid: ACCOUNT_SID, from: SENDER },
    { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN },
    { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SENDER, baseUrl: 'ftp://example.test' },
    { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SENDER, baseUrl: 'not a url' },
    { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: SENDER, timeoutMs: 0 },
  ])('TwilioProvider refuses %o with a ConfigurationError', (bad) => {
    expect(() => new TwilioProvider(bad as never)).toThrow(ConfigurationError);
  });
});

describe('docs/sms.md', () => {
  it('quotes the example that the tests run, verbatim', () => {
    const doc = readFileSync(new URL('../../../docs/sms.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./examples/sms-codes.ts', import.meta.url), 'utf8');
    expect(doc).toContain(`\`\`\`ts\n${example.trimEnd()}\n\`\`\``);
  });
});

import { ConfigurationError, createOtp, type Otp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { createSignIn, DEFAULT_LIMITS, type SignInOptions } from '@otpkit/signin';
import { ConsoleProvider, sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import knexFactory from 'knex';
import nodemailer from 'nodemailer';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
const quiet = { warn: () => {} };
const otp = createOtp({ knex, devices: [sms({ provider: new ConsoleProvider({ print: () => {} }) }), email({ transport: nodemailer.createTransport({ jsonTransport: true }), from: 'a@example.test' })], logger: quiet });
const emailOnly = createOtp({ knex, devices: [email({ transport: nodemailer.createTransport({ jsonTransport: true }), from: 'a@example.test' })], logger: quiet });
const refused = (options: unknown, instance: Otp = otp) => () => createSignIn(instance, options as SignInOptions);

afterAll(() => knex.destroy());

describe('createSignIn options', () => {
  it('serves the methods whose plugins are configured, with links only when linkUrl is given', () => {
    expect(createSignIn(otp)).toMatchObject({ methods: ['sms', 'email'], links: false });
    expect(createSignIn(emailOnly, { linkUrl: (token) => `https://acme.example/l/${token}` })).toMatchObject({ methods: ['email'], links: true });
    expect(createSignIn(otp, { methods: ['sms'], limits: { ipSends: new RateLimiterMemory({ points: 1, duration: 1 }) } }).methods).toEqual(['sms']);
  });

  describe('limits left in memory where processes would each count alone', () => {
    afterEach(() => void vi.unstubAllEnvs());
    const memory = () => new RateLimiterMemory({ points: 1, duration: 1 });
    const warnings = (options: Partial<SignInOptions>) => {
      const logged: string[] = [];
      createSignIn(otp, { ...options, logger: { warn: (message) => void logged.push(message) } });
      return logged;
    };

    it('are warned about under NODE_ENV=production, naming each one and the fix', () => {
      vi.stubEnv('NODE_ENV', 'production');
      const [warning, ...more] = warnings({ limits: { addressSends: memory(), addressDailySends: memory(), ipSends: memory(), ipDailySends: memory() } });
      expect(more).toEqual([]);
      expect(warning).toMatch(/the limits addressFailures, ipFailures are counted in this process's memory/);
      expect(warning).toMatch(/RateLimiterRedis or RateLimiterPostgres/);
    });

    it('are not warned about in development, nor when every limit is given', () => {
      vi.stubEnv('NODE_ENV', 'development');
      expect(warnings({})).toEqual([]);
      vi.stubEnv('NODE_ENV', 'production');
      const limits = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((name) => [name, memory()]));
      expect(warnings({ limits })).toEqual([]);
    });
  });

  it('has the documented default limits', () => {
    expect(DEFAULT_LIMITS).toEqual({
      addressSends: { points: 3, duration: 900 },
      addressDailySends: { points: 10, duration: 86_400 },
      ipSends: { points: 10, duration: 900 },
      ipDailySends: { points: 50, duration: 86_400 },
      addressFailures: { points: 5, duration: 900 },
      ipFailures: { points: 20, duration: 900 },
    });
  });

  it.each([
    ['no options object', null, otp, /options must be an object/],
    ['a misspelt option', { envelopeMS: 100 }, otp, /unknown option "envelopeMS" \(did you mean "envelopeMs"\?\)/],
    ['a misspelt limit', { limits: { addressSend: new RateLimiterMemory({ points: 1, duration: 1 }) } }, otp, /unknown option "addressSend" \(did you mean "addressSends"\?\)/],
    ['a limit that is no limiter', { limits: { ipSends: { points: 3 } } }, otp, /limits.ipSends must be a rate-limiter-flexible limiter/],
    ['an unknown method', { methods: ['voice'] }, otp, /methods must list 'sms', 'email' or both/],
    ['a method without its plugin', { methods: ['sms'] }, emailOnly, /no sms plugin: add sms\(/],
    ['no sms or email plugin', {}, createOtp({ knex, devices: [staticTokens()], logger: quiet }), /neither an sms nor an email plugin/],
    ['a negative envelope', { envelopeMs: -1 }, otp, /envelopeMs must be a whole number >= 0/],
    ['a link lifetime of 0', { linkSeconds: 0 }, otp, /linkSeconds must be a whole number >= 1/],
    ['a linkUrl that is no URL', { linkUrl: () => '/signin/link' }, otp, /linkUrl\(token\) must return an absolute http\(s\) URL/],
    ['magic links without email', { methods: ['sms'], linkUrl: (token: string) => `https://acme.example/${token}` }, otp, /email is not among the methods/],
    ['a register that is no function', { register: 'yes' }, otp, /register must be a function/],
    ['a link message without the link', { linkMessage: { text: 'Click here' } }, otp, /must contain \{link\}/],
    ['a misspelt link message field', { linkMessage: { subjet: 'Hi' } }, otp, /unknown option "subjet" \(did you mean "subject"\?\)/],
    ['a bindToBrowser that is no boolean', { bindToBrowser: 'no' }, otp, /bindToBrowser must be a boolean/],
  ])('refuses %s at start-up, naming the fix', (_what, options, instance, message) => {
    expect(refused(options, instance)).toThrow(ConfigurationError);
    expect(refused(options, instance)).toThrow(message);
  });
});

import { ConfigurationError, createOtp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { accountNotices } from '@otpkit/email';
import { otpAdminRouter, otpLoginRouter, otpMiddleware, otpRequired, tokenRequired, tokenSender, twoFactorApi } from '@otpkit/express';
import { createSignIn } from '@otpkit/signin';
import { ConsoleProvider, sms, TwilioProvider } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { createTokenSessions, generateSigningKey } from '@otpkit/tokens';
import { totp } from '@otpkit/totp';
import { PasskeySignIn, webauthn } from '@otpkit/webauthn';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';

const mail = { transport: 'smtp://127.0.0.1:9', from: 'otpkit <otp@otpkit.test>' };
const passkeys = { rpName: 'Acme', rpID: 'acme.test', origins: 'https://acme.test' };
const tokenOptions = { issuer: 'https://auth.acme.test', audience: 'https://api.acme.test', signingKeys: [generateSigningKey('EdDSA', 'k1')] };
const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });

describe('configuration mistakes fail at start-up, naming the fix', () => {
  it.each([
    ['totp, a name from otplib and the Key-URI', () => totp({ period: 60 } as never), /totp: unknown option "period" \(did you mean "step"\?\)/],
    ['hotp, a name from otplib', () => hotp({ window: 3 } as never), /hotp: unknown option "window" \(did you mean "tolerance"\?\)/],
    ['totp, a near miss', () => totp({ digit: 8 } as never), /totp: unknown option "digit" \(did you mean "digits"\?\)/],
    ['staticTokens', () => staticTokens({ counts: 5 } as never), /staticTokens: unknown option "counts" \(did you mean "count"\?\)/],
    ['email', () => email({ ...mail, sender: 'x' } as never), /email: unknown option "sender"/],
    ['sms', () => sms({ provider: new ConsoleProvider(), validity: 60 } as never), /sms: unknown option "validity"/],
  ])('a misspelt option of %s is refused, not ignored', (_plugin, make, message) => {
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(message);
  });

  it('a misspelt createOtp option is refused with the closest known key', () => {
    const make = () => createOtp({ knex, devices: [totp()], secretKey: {} } as never);
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(/createOtp: unknown option "secretKey" \(did you mean "secretKeys"\?\)/);
  });

  it('an uncalled plugin factory is refused with the call to write', () => {
    // @ts-expect-error: the factory is not a plugin
    expect(() => createOtp({ knex, devices: [totp] })).toThrow(/devices\[0\] is the plugin factory totp itself: call it, as in devices: \[totp\(\)\]/);
    // @ts-expect-error: nor is the factory in second place
    expect(() => createOtp({ knex, devices: [totp(), staticTokens] })).toThrow(/devices\[1\] is the plugin factory staticTokens itself/);
  });

  it('the documented options are accepted', () => {
    expect(() =>
      createOtp({
        knex,
        devices: [totp({ digits: 8, step: 60 }), hotp({ tolerance: 5 }), staticTokens({ count: 12 }), email(mail), sms({ provider: new ConsoleProvider() })],
        logger: { warn() {} },
      }),
    ).not.toThrow();
  });
});

describe('a misspelt key in any options object is refused at start-up, naming the key and the nearest valid one', () => {
  const otp = createOtp({
    knex,
    devices: [totp(), staticTokens(), email(mail), sms({ provider: new ConsoleProvider() }), webauthn(passkeys)],
    logger: { warn() {} },
  });
  const sessions = createTokenSessions(otp, tokenOptions);
  const authenticate = () => null;

  it.each<[string, () => unknown, string, string]>([
    ['createOtp', () => createOtp({ knex, devices: [totp()], secretKey: {} } as never), 'secretKey', 'secretKeys'],
    ['createOtp users', () => createOtp({ knex, devices: [totp()], users: { idColum: 'id' } } as never), 'idColum', 'idColumn'],
    ['createOtp guessThrottle', () => createOtp({ knex, devices: [totp()], guessThrottle: { factr: 1 } } as never), 'factr', 'factor'],
    ['createOtp sendLimits', () => createOtp({ knex, devices: [totp()], sendLimits: { perUsr: 3 } } as never), 'perUsr', 'perUser'],
    ['createOtp audit', () => createOtp({ knex, devices: [totp()], audit: { retentionDay: 30 } } as never), 'retentionDay', 'retentionDays'],
    ['createOtp events', () => createOtp({ knex, devices: [totp()], events: { verfied() {} } } as never), 'verfied', 'verified'],
    ['createOtp messages', () => createOtp({ knex, devices: [totp()], messages: { defaultLocal: 'fr' } } as never), 'defaultLocal', 'defaultLocale'],
    ['totp', () => totp({ digit: 8 } as never), 'digit', 'digits'],
    ['totp throttle', () => createOtp({ knex, devices: [totp({ throttle: { factr: 1 } } as never)] }), 'factr', 'factor'],
    ['hotp', () => hotp({ tolerence: 3 } as never), 'tolerence', 'tolerance'],
    ['staticTokens', () => staticTokens({ counts: 5 } as never), 'counts', 'count'],
    ['email', () => email({ ...mail, form: 'x' } as never), 'form', 'from'],
    ['sms', () => sms({ provider: new ConsoleProvider(), providr: null } as never), 'providr', 'provider'],
    ['TwilioProvider', () => new TwilioProvider({ accountSid: `AC${'0'.repeat(32)}`, authtoken: 'x', from: '+15005550006' } as never), 'authtoken', 'authToken'],
    ['ConsoleProvider', () => new ConsoleProvider({ prnt: () => {} } as never), 'prnt', 'print'],
    ['webauthn', () => webauthn({ ...passkeys, rpId: 'acme.test' } as never), 'rpId', 'rpID'],
    ['PasskeySignIn', () => new PasskeySignIn(otp, { allowUsers: true } as never), 'allowUsers', 'allowUser'],
    ['createTokenSessions', () => createTokenSessions(otp, { ...tokenOptions, audiance: 'x' } as never), 'audiance', 'audience'],
    ['createSignIn', () => createSignIn(otp, { method: ['email'] } as never), 'method', 'methods'],
    ['accountNotices', () => accountNotices(otp, { perday: 3 } as never), 'perday', 'perDay'],
    ['otpMiddleware', () => otpMiddleware(otp, { getUserID: () => null } as never), 'getUserID', 'getUserId'],
    ['otpMiddleware rememberDevice', () => otpMiddleware(otp, { rememberDevice: { rememberFr: 60 } } as never), 'rememberFr', 'rememberFor'],
    ['otpMiddleware policy', () => otpMiddleware(otp, { policy: { require: () => 'optional', graceDay: 3 } } as never), 'graceDay', 'graceDays'],
    ['otpRequired', () => otpRequired({ loginUrl: '/login', maxage: 60 } as never), 'maxage', 'maxAge'],
    ['otpLoginRouter', () => otpLoginRouter(otp, { authenticate, onepage: true } as never), 'onepage', 'onePage'],
    ['twoFactorApi', () => twoFactorApi(otp, { rescues: false } as never), 'rescues', 'rescue'],
    ['twoFactorApi rescue', () => twoFactorApi(otp, { rescue: { mode: 'email', noticeSubjet: 'x' } } as never), 'noticeSubjet', 'noticeSubject'],
    ['twoFactorApi tokenCookie', () => twoFactorApi(otp, { tokenSessions: sessions, tokenTransport: 'cookie', tokenCookie: { secur: true } } as never), 'secur', 'secure'],
    ['tokenRequired', () => tokenRequired(sessions, { maxage: 60 } as never), 'maxage', 'maxAge'],
    ['tokenSender', () => tokenSender({ tokenSessions: sessions, tokenTransports: 'body' } as never), 'tokenTransports', 'tokenTransport'],
    ['otpAdminRouter', () => otpAdminRouter(otp, { authorize: () => null, maxage: 60 } as never), 'maxage', 'maxAge'],
  ])('%s', (_where, make, misspelt, meant) => {
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(`unknown option "${misspelt}" (did you mean "${meant}"?)`);
  });
});

describe('logger: a function or an object with warn(message), as docs/configuration.md says', () => {
  it('takes a function of the message, such as console.warn, and warns through it', () => {
    const lines: string[] = [];
    createOtp({ knex, devices: [totp()], logger: (message) => lines.push(message) });
    expect(lines).toEqual([expect.stringContaining('no secretKeys configured')]);
  });

  it('calls an object logger as a method, so that a pino or winston logger keeps its this', () => {
    const lines: string[] = [];
    const logger = { lines, warn(this: { lines: string[] }, message: string) { this.lines.push(message); } };
    createOtp({ knex, devices: [totp()], logger });
    expect(lines).toEqual([expect.stringContaining('no secretKeys configured')]);
  });

  it.each<[string, (logger: unknown) => unknown]>([
    ['createOtp', (logger) => createOtp({ knex, devices: [totp()], logger } as never)],
    ['otpMiddleware', (logger) => otpMiddleware(createOtp({ knex, devices: [totp()], logger: () => {} }), { logger } as never)],
    ['accountNotices', (logger) => accountNotices(createOtp({ knex, devices: [totp(), email(mail)], logger: () => {} }), { logger } as never)],
    ['createSignIn', (logger) => createSignIn(createOtp({ knex, devices: [email(mail)], logger: () => {} }), { logger } as never)],
  ])('a logger of the wrong shape given to %s fails at start-up, naming both shapes', (where, make) => {
    for (const wrong of [null, 'console', { log() {} }]) {
      expect(() => make(wrong)).toThrow(ConfigurationError);
      expect(() => make(wrong)).toThrow(`${where}: logger must be an object with a warn(message) method (console, a pino or winston logger) or a function (message) => void`);
    }
  });
});

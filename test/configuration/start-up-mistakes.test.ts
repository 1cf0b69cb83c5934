import { ConfigurationError, createOtp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { ConsoleProvider, sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';

const mail = { transport: 'smtp://127.0.0.1:9', from: 'otpkit <otp@otpkit.test>' };
const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });

describe('configuration mistakes fail at start-up, naming the fix', () => {
  it.each([
    ['totp', () => totp({ period: 60 } as never), /totp: unknown option "period"/],
    ['totp, a near miss', () => totp({ digit: 8 } as never), /totp: unknown option "digit" \(did you mean "digits"\?\)/],
    ['hotp', () => hotp({ window: 3 } as never), /hotp: unknown option "window"/],
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

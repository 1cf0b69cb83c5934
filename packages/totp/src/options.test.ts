import { totp } from '@otpkit/totp';
import { describe, expect, it } from 'vitest';

describe('totp options', () => {
  it('resolves the documented defaults into a frozen object', () => {
    const { options, throttle, defaultName } = totp();
    expect(options).toEqual({
      issuer: null,
      image: null,
      digits: 6,
      algorithm: 'sha1',
      step: 30,
      t0: 0,
      tolerance: 1,
      driftSync: true,
      keyBytes: 20,
      throttle: { factor: 1 },
    });
    expect(Object.isFrozen(options)).toBe(true);
    expect(throttle).toEqual({ factor: 1, maxDelaySeconds: 43_200 });
    expect(defaultName).toBe('Authenticator');
  });

  it('keeps the default of an option given as undefined, e.g. from an unset environment variable', () => {
    expect(totp({ issuer: process.env.OTPKIT_UNSET_ISSUER, digits: undefined }).options).toMatchObject({ issuer: null, digits: 6 });
  });

  it('fails fast with a ConfigurationError for each bad option', () => {
    const bad: object[] = [
      { digits: 7 },
      { algorithm: 'SHA1' },
      { step: 0 },
      { step: 3601 },
      { t0: -5 },
      { tolerance: -1 },
      { tolerance: 11 },
      { driftSync: 'yes' },
      { keyBytes: 10 },
      { issuer: 42 },
      { image: 'ftp://example.com/logo.png' },
      { throttle: null },
      { throttle: { factor: -1 } },
    ];
    for (const options of bad) {
      expect(() => totp(options as never), JSON.stringify(options)).toThrow(expect.objectContaining({ code: 'ERR_OTP_CONFIGURATION' }));
    }
    expect(() => totp(null as never)).toThrow(expect.objectContaining({ code: 'ERR_OTP_CONFIGURATION' }));
  });
});

import { hotp } from '@otpkit/hotp';
import { describe, expect, it } from 'vitest';

describe('hotp options', () => {
  it('resolves the documented defaults into a frozen object', () => {
    const { options, defaultName } = hotp();
    expect(options).toEqual({ issuer: null, image: null, digits: 6, algorithm: 'sha1', tolerance: 5, keyBytes: 20, throttle: { factor: 1 } });
    expect(Object.isFrozen(options)).toBe(true);
    expect(defaultName).toBe('Hardware token');
  });

  it('fails fast with a ConfigurationError for each bad option', () => {
    const bad: unknown[] = [
      null,
      { digits: 5 },
      { algorithm: 'md5' },
      { tolerance: -1 },
      { tolerance: 1.5 },
      { keyBytes: 65 },
      { issuer: ['Acme'] },
      { image: 'logo.png' },
      { throttle: 'fast' },
      { throttle: { factor: Number.NaN } },
    ];
    for (const options of bad) {
      expect(() => hotp(options as never), JSON.stringify(options)).toThrow(expect.objectContaining({ code: 'ERR_OTP_CONFIGURATION' }));
    }
  });
});

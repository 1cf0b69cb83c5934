import { describe, expect, it } from 'vitest';
import { keyUri } from './key-uri.js';
import { parseKeyUri } from './parse-key-uri.js';

const key = new TextEncoder().encode('12345678901234567890');

describe('parseKeyUri', () => {
  it('reads back what keyUri writes, for TOTP and HOTP', () => {
    const totp = keyUri({ type: 'totp', key, account: 'alice@example.com', issuer: 'Acme Corp', algorithm: 'sha256', digits: 8, period: 60 });
    expect(parseKeyUri(totp)).toEqual({ type: 'totp', key, account: 'alice@example.com', issuer: 'Acme Corp', algorithm: 'sha256', digits: 8, period: 60 });
    const hotp = keyUri({ type: 'hotp', key, account: 'bob', issuer: null, algorithm: 'sha1', digits: 6, counter: 42 });
    expect(parseKeyUri(hotp)).toEqual({ type: 'hotp', key, account: 'bob', issuer: null, algorithm: 'sha1', digits: 6, counter: 42 });
  });

  it("applies the format's defaults and takes the issuer from the label when the parameter is absent", () => {
    expect(parseKeyUri('otpauth://TOTP/Example:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual({
      type: 'totp',
      key,
      account: 'carol',
      issuer: 'Example',
      algorithm: 'sha1',
      digits: 6,
      period: 30,
    });
  });

  it('refuses what is not a usable otpauth URI, naming the part', () => {
    const cases: [unknown, string][] = [
      ['https://example.com/', 'uri'],
      [42, 'uri'],
      ['otpauth://steam/x?secret=GEZDGNBV', 'type'],
      ['otpauth://totp/x', 'secret'],
      ['otpauth://totp/x?secret=not*base32', 'secret'],
      ['otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5', 'algorithm'],
      ['otpauth://totp/x?secret=GEZDGNBV&period=-30', 'period'],
      ['otpauth://hotp/x?secret=GEZDGNBV', 'counter'],
      ['otpauth://totp/%E0%A4%A?secret=GEZDGNBV', 'label'],
    ];
    for (const [uri, field] of cases) expect(() => parseKeyUri(uri), String(uri)).toThrow(expect.objectContaining({ code: 'ERR_OTP_INVALID_INPUT', field }));
  });
});

import { describe, expect, it } from 'vitest';
import { isHttpUrl, keyUri, type KeyUriParameters } from './key-uri.js';
import { decodeBase32 } from './oath.js';

const key = new TextEncoder().encode('12345678901234567890');
const totp: KeyUriParameters = { type: 'totp', key, account: 'alice', issuer: 'Acme', algorithm: 'sha1', digits: 6, period: 30 };

describe('keyUri', () => {
  it('writes the label, unpadded base32 secret, issuer, algorithm, digits and period of a TOTP key', () => {
    expect(keyUri(totp)).toBe(
      'otpauth://totp/Acme:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('writes the counter of an HOTP key and upper-cases the algorithm', () => {
    const uri = keyUri({ type: 'hotp', key, account: 'bob', issuer: null, algorithm: 'sha512', digits: 8, counter: 7 });
    expect(uri).toBe('otpauth://hotp/bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&digits=8&counter=7');
  });

  it('never pads the secret with "="', () => {
    const uri = keyUri({ ...totp, key: new Uint8Array(16).fill(7) });
    const secret = new URL(uri).searchParams.get('secret')!;
    expect(secret).not.toContain('=');
    expect(decodeBase32(secret)).toEqual(new Uint8Array(16).fill(7));
  });

  it('refuses a label of "." or "..", which URL parsers drop as a dot segment, and keeps it after an issuer', () => {
    for (const account of ['.', '..']) {
      expect(() => keyUri({ ...totp, issuer: null, account })).toThrow(expect.objectContaining({ field: 'account' }));
      expect(decodeURIComponent(new URL(keyUri({ ...totp, account })).pathname.slice(1))).toBe(`Acme:${account}`);
    }
  });

  it('percent-encodes spaces as %20, never +, in the label and the parameters', () => {
    const uri = keyUri({ ...totp, issuer: 'Acme Corp', account: 'Alice Smith+1@example.com' });
    expect(uri).toContain('otpauth://totp/Acme%20Corp:Alice%20Smith%2B1%40example.com?');
    expect(uri).toContain('&issuer=Acme%20Corp&');
    expect(uri).not.toMatch(/\+/);
  });

  it('removes colons from the issuer in the label and the parameter, and encodes those of the account', () => {
    const uri = keyUri({ ...totp, issuer: 'Acme: Billing', account: 'a:b' });
    expect(uri.startsWith('otpauth://totp/Acme%20Billing:a%3Ab?')).toBe(true);
    expect(new URL(uri).searchParams.get('issuer')).toBe('Acme Billing');
  });

  it('drops an issuer that is empty once its colons are removed', () => {
    expect(keyUri({ ...totp, issuer: ' : ' }).startsWith('otpauth://totp/alice?secret=')).toBe(true);
  });

  it('encodes unicode as UTF-8 percent-escapes that decode back', () => {
    const uri = keyUri({ ...totp, issuer: 'Café Zoë', account: 'jürgen@例え.jp' });
    const label = uri.slice('otpauth://totp/'.length, uri.indexOf('?'));
    expect(label).toMatch(/^[A-Za-z0-9%.:_~!*'()-]+$/);
    expect(decodeURIComponent(label)).toBe('Café Zoë:jürgen@例え.jp');
  });

  it('adds an encoded image URL and refuses one that is not http(s)', () => {
    const uri = keyUri({ ...totp, image: 'https://acme.example/logo.png?size=64' });
    expect(new URL(uri).searchParams.get('image')).toBe('https://acme.example/logo.png?size=64');
    for (const image of ['javascript:alert(1)', 'logo.png', '']) {
      expect(() => keyUri({ ...totp, image })).toThrow(expect.objectContaining({ code: 'ERR_OTP_INVALID_INPUT', field: 'image' }));
    }
  });

  it('refuses an empty account and a bad period or counter with a ValidationError', () => {
    expect(() => keyUri({ ...totp, account: ' ' })).toThrow(expect.objectContaining({ field: 'account' }));
    expect(() => keyUri({ ...totp, period: 0 })).toThrow(expect.objectContaining({ field: 'period' }));
    expect(() => keyUri({ type: 'hotp', key, account: 'a', algorithm: 'sha1', digits: 6, counter: -1 })).toThrow(
      expect.objectContaining({ field: 'counter' }),
    );
  });
});

describe('isHttpUrl', () => {
  it('accepts absolute http and https URLs only', () => {
    expect(isHttpUrl('https://acme.example/logo.png')).toBe(true);
    expect(isHttpUrl('http://localhost:8080/a')).toBe(true);
    for (const value of ['javascript:alert(1)', 'data:image/png;base64,AA', '/logo.png', '', null, 42]) expect(isHttpUrl(value)).toBe(false);
  });
});

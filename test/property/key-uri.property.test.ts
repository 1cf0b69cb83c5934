import { decodeBase32, encodeBase32, keyUri, OATH_ALGORITHMS, type KeyUriParameters } from '@otpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const key = fc.uint8Array({ minLength: 1, maxLength: 64 });
// Not "." or "..": keyUri refuses those without an issuer (a dot segment; key-uri.test.ts checks it).
const account = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((text) => text.trim().length > 0 && text !== '.' && text !== '..');
const issuer = fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: null });
const common = fc.record({
  key,
  account,
  issuer,
  algorithm: fc.constantFrom(...OATH_ALGORITHMS),
  digits: fc.constantFrom(6 as const, 8 as const),
  image: fc.option(fc.webUrl({ withQueryParameters: true, withFragments: true }), { nil: null }),
});
const parameters: fc.Arbitrary<KeyUriParameters> = fc.oneof(
  fc.tuple(common, fc.integer({ min: 1, max: 3600 })).map(([c, period]) => ({ ...c, type: 'totp' as const, period })),
  fc.tuple(common, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })).map(([c, counter]) => ({ ...c, type: 'hotp' as const, counter })),
);

/** The issuer as a Key-URI carries it: colons removed, trimmed, absent when empty. */
const expectedIssuer = (value: string | null | undefined) => (value ?? '').replaceAll(':', '').trim();

/** Reads a Key-URI back as an authenticator app does. */
function readKeyUri(uri: string) {
  const url = new URL(uri);
  const rawLabel = url.pathname.slice(1);
  const colon = rawLabel.indexOf(':');
  return {
    protocol: url.protocol,
    type: url.host,
    labelIssuer: colon === -1 ? null : decodeURIComponent(rawLabel.slice(0, colon)),
    account: decodeURIComponent(colon === -1 ? rawLabel : rawLabel.slice(colon + 1)),
    query: url.searchParams,
  };
}

describe('Key-URIs (property)', () => {
  it('carry key, account, issuer and parameters that an app reads back unchanged', () => {
    fc.assert(
      fc.property(parameters, (input) => {
        const read = readKeyUri(keyUri(input));
        const issuerText = expectedIssuer(input.issuer);
        expect(read.protocol).toBe('otpauth:');
        expect(read.type).toBe(input.type);
        expect(read.account).toBe(input.account);
        expect(read.labelIssuer).toBe(issuerText === '' ? null : issuerText);
        expect(read.query.get('issuer')).toBe(issuerText === '' ? null : issuerText);
        expect(decodeBase32(read.query.get('secret')!)).toEqual(input.key);
        expect(read.query.get('algorithm')).toBe(input.algorithm.toUpperCase());
        expect(read.query.get('digits')).toBe(String(input.digits));
        if (input.type === 'totp') expect(read.query.get('period')).toBe(String(input.period));
        else expect(read.query.get('counter')).toBe(String(input.counter));
        expect(read.query.get('image')).toBe(input.image ?? null);
      }),
    );
  });

  it('are plain URI text: no spaces, no "+" for a space, nothing outside RFC 3986 characters', () => {
    fc.assert(
      fc.property(parameters, (input) => {
        const uri = keyUri(input);
        expect(uri).toMatch(/^[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]+$/);
        expect(uri.split('?')[0]).not.toContain('+');
      }),
    );
  });

  it('write the key as unpadded upper-case base32 that decodes to the same bytes', () => {
    fc.assert(
      fc.property(key, (bytes) => {
        const text = encodeBase32(bytes);
        expect(text).toMatch(/^[A-Z2-7]+$/);
        expect(decodeBase32(text)).toEqual(bytes);
        expect(decodeBase32(text.toLowerCase().replace(/(.{4})/g, '$1 '))).toEqual(bytes);
      }),
    );
  });

  it('refuse an account that is empty or only whitespace, with a ValidationError on "account"', () => {
    const blank = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0'), maxLength: 5 });
    fc.assert(
      fc.property(parameters, blank, (input, emptyAccount) => {
        expect(() => keyUri({ ...input, account: emptyAccount })).toThrow(expect.objectContaining({ code: 'ERR_OTP_INVALID_INPUT', field: 'account' }));
      }),
    );
  });
});

describe('Key-URIs from arbitrary text (property)', () => {
  it('either build or throw a ValidationError, for any account and issuer text (lone surrogates included)', () => {
    const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
    const text = fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), loneSurrogate), maxLength: 30 });
    fc.assert(
      fc.property(parameters, text, fc.option(text, { nil: null }), (input, anyAccount, anyIssuer) => {
        try {
          keyUri({ ...input, account: anyAccount, issuer: anyIssuer });
        } catch (error) {
          expect(error).toMatchObject({ code: 'ERR_OTP_INVALID_INPUT' });
        }
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32, findHotpCounter, hotpToken, totpTimeStep } from './oath.js';
import { RFC4226_VECTORS, RFC6238_KEYS, RFC6238_VECTORS } from './testing/index.js';
import { ValidationError } from './errors.js';

describe('OATH helpers', () => {
  it('match the RFC 4226 HOTP vectors', () => {
    RFC4226_VECTORS.tokens.forEach((token, counter) => {
      expect(hotpToken(RFC4226_VECTORS.key, counter, { algorithm: 'sha1', digits: 6 })).toBe(token);
    });
  });

  it('match the RFC 6238 TOTP vectors for SHA-1, SHA-256 and SHA-512', () => {
    for (const { time, algorithm, token } of RFC6238_VECTORS) {
      const counter = totpTimeStep(time * 1000, 30, 0);
      expect(hotpToken(RFC6238_KEYS[algorithm], counter, { algorithm, digits: 8 })).toBe(token);
    }
  });

  it('find the counter of a token within a look-ahead window, and nothing for malformed tokens', () => {
    const params = { algorithm: 'sha1', digits: 6 } as const;
    expect(findHotpCounter(RFC4226_VECTORS.key, RFC4226_VECTORS.tokens[7]!, 3, 8, params)).toBe(7);
    expect(findHotpCounter(RFC4226_VECTORS.key, RFC4226_VECTORS.tokens[9]!, 3, 8, params)).toBeNull();
    expect(findHotpCounter(RFC4226_VECTORS.key, '75522', 0, 5, params)).toBeNull();
    expect(findHotpCounter(RFC4226_VECTORS.key, 'abcdef', 0, 5, params)).toBeNull();
  });

  it('round-trip keys through unpadded base32 and accept what people type', () => {
    const key = RFC4226_VECTORS.key;
    const encoded = encodeBase32(key);
    expect(encoded).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(decodeBase32(encoded.toLowerCase().replace(/(.{4})/g, '$1 '))).toEqual(key);
    expect(() => decodeBase32('not base32!')).toThrow(ValidationError);
  });
});

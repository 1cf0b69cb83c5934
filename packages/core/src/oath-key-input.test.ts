import { describe, expect, it } from 'vitest';
import { oathKeyFromInput } from './oath-key-input.js';

describe('oathKeyFromInput', () => {
  it('generates the given number of random bytes when no key is given', () => {
    const first = oathKeyFromInput({}, 20);
    expect(first).toHaveLength(20);
    expect(oathKeyFromInput({}, 20)).not.toEqual(first);
  });

  it('reads a hex key and a base32 secret as people type it', () => {
    const bytes = new TextEncoder().encode('12345678901234567890');
    expect(oathKeyFromInput({ key: '3132333435363738393031323334353637383930' }, 20)).toEqual(bytes);
    expect(oathKeyFromInput({ secret: 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq' }, 20)).toEqual(bytes);
  });

  it('refuses both forms at once, malformed text, and keys shorter than 16 or longer than 64 bytes', () => {
    const invalid = (input: object, field: string) =>
      expect(() => oathKeyFromInput(input, 20)).toThrow(expect.objectContaining({ code: 'ERR_OTP_INVALID_INPUT', field }));
    invalid({ key: '00'.repeat(20), secret: 'A'.repeat(32) }, 'key');
    invalid({ key: 'xyz' }, 'key');
    invalid({ key: 42 }, 'key');
    invalid({ key: '00'.repeat(15) }, 'key');
    invalid({ key: '00'.repeat(65) }, 'key');
    invalid({ secret: 'A'.repeat(24) }, 'secret');
    invalid({ secret: ['A'] }, 'secret');
    invalid({ secret: '1890!' }, 'secret');
  });

  it('blames the field the caller passed: a malformed secret is the secret, not the key', () => {
    expect(() => oathKeyFromInput({ secret: 'bad!' }, 20)).toThrow(expect.objectContaining({ field: 'secret', message: 'secret must be base32 text (A to Z, 2 to 7)' }));
    expect(() => oathKeyFromInput({ secret: 'AAAA' }, 20)).toThrow(expect.objectContaining({ field: 'secret', message: 'the key must be 16 to 64 bytes long (secret holds 2)' }));
    expect(() => oathKeyFromInput({ key: '0000' }, 20)).toThrow(expect.objectContaining({ field: 'key', message: 'the key must be 16 to 64 bytes long (key holds 2)' }));
  });
});

import { MAX_TOKEN_LENGTH, normalizeToken } from '@otpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ALPHANUMERIC = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];
const SEPARATORS = [' ', '-', '\t', '\u00a0', '\u3000'];

/** A token as a device shows it: 1 to 64 ASCII letters and digits. */
const token = fc.string({ unit: fc.constantFrom(...ALPHANUMERIC), minLength: 1, maxLength: MAX_TOKEN_LENGTH });

/** `text` with separators typed between some of its characters and around it. */
function typedWithSeparators(text: string, gaps: string[]): string {
  return [...text].map((character, index) => `${gaps[index % gaps.length] ?? ''}${character}`).join('') + (gaps[0] ?? '');
}

describe('normalizeToken (property)', () => {
  it('never throws and returns null or 1 to 64 ASCII letters and digits, for any value', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const normalized = normalizeToken(input);
        expect(normalized === null || /^[0-9A-Za-z]{1,64}$/.test(normalized)).toBe(true);
      }),
    );
  });

  it('never throws for any string, including lone surrogates and control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        const normalized = normalizeToken(input);
        expect(normalized === null || /^[0-9A-Za-z]{1,64}$/.test(normalized)).toBe(true);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 140 }), (input) => {
        const once = normalizeToken(input);
        if (once !== null) expect(normalizeToken(once)).toBe(once);
      }),
    );
  });

  it('gives back the token however it is grouped with spaces or dashes, up to twice MAX_TOKEN_LENGTH typed characters', () => {
    const gaps = fc.array(fc.string({ unit: fc.constantFrom(...SEPARATORS), maxLength: 1 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(token, gaps, (value, separators) => {
        const typed = typedWithSeparators(value, separators);
        expect(normalizeToken(typed)).toBe(typed.length <= 2 * MAX_TOKEN_LENGTH ? value : null);
      }),
    );
  });

  it('keeps letter case: tokens are compared as the device shows them', () => {
    fc.assert(
      fc.property(token, (value) => {
        expect(normalizeToken(value)).toBe(value);
      }),
    );
  });

  it('refuses any input holding a character that is neither alphanumeric ASCII nor a separator', () => {
    const foreign = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 2 })
      .filter((text) => /[^0-9A-Za-z\s-]/.test(text));
    fc.assert(
      fc.property(token, foreign, fc.nat(), (value, intruder, at) => {
        const position = at % (value.length + 1);
        expect(normalizeToken(value.slice(0, position) + intruder + value.slice(position))).toBeNull();
      }),
    );
  });

  it('refuses tokens longer than MAX_TOKEN_LENGTH once separators are removed', () => {
    const long = fc.string({ unit: fc.constantFrom(...ALPHANUMERIC), minLength: MAX_TOKEN_LENGTH + 1, maxLength: 4 * MAX_TOKEN_LENGTH });
    fc.assert(
      fc.property(long, (value) => {
        expect(normalizeToken(value)).toBeNull();
      }),
    );
  });
});

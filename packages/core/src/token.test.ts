import { describe, expect, it } from 'vitest';
import { normalizeToken } from './token.js';

describe('normalizeToken', () => {
  it('trims and removes the spaces and dashes of grouped codes', () => {
    expect(normalizeToken(' 123456 ')).toBe('123456');
    expect(normalizeToken('123 456')).toBe('123456');
    expect(normalizeToken('abcde-fghjk')).toBe('abcdefghjk');
    expect(normalizeToken('\t12 34\n56')).toBe('123456');
  });

  it('returns null for anything that can never match, without throwing', () => {
    for (const input of ['', '   ', '- -', '12345é', '123;456', '<b>1</b>', '1'.repeat(65), 'x'.repeat(1_000_000), null, undefined, 123456, {}, []]) {
      expect(normalizeToken(input)).toBeNull();
    }
  });
});

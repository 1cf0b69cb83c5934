import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskDestination } from './masked-destination.js';

describe('maskDestination', () => {
  it.each([
    ['+14155550123', '•••23'],
    ['+33 6 12 34 56 78', '•••78'],
    ['alice@example.com', 'a•••@example.com'],
    ['"a@b"@example.com', '"•••@example.com'],
    ['é@example.com', 'é•••@example.com'],
  ])('keeps the last two digits of a phone number, the first character and the domain of an address: %s', (destination, masked) => {
    expect(maskDestination(destination)).toBe(masked);
  });

  it('hides all of a value too short to keep anything of', () => {
    for (const value of ['', '4711', '@example.com', 'alice@', 'pager']) expect(maskDestination(value)).toBe('•••');
  });

  it('never shows a whole phone number or address', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.stringMatching(/^\+[1-9][0-9]{5,14}$/)), (destination) => {
        const masked = maskDestination(destination);
        expect(masked).not.toContain(destination);
        expect(masked.replace(/\D/g, '').length).toBeLessThanOrEqual(destination.includes('@') ? destination.length : 2);
      }),
      { numRuns: 500 },
    );
  });
});

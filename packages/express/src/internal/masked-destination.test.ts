import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskDestination } from './masked-destination.js';

describe('maskDestination', () => {
  it('keeps the last two digits of a phone number and the first letter and domain of an address', () => {
    expect(maskDestination('+14155550123')).toBe('•••23');
    expect(maskDestination('+33 6 12 34 56 78')).toBe('•••78');
    expect(maskDestination('alice@example.com')).toBe('a•••@example.com');
    expect(maskDestination('"a@b"@example.com')).toBe('"•••@example.com');
    expect(maskDestination('é@example.com')).toBe('é•••@example.com');
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

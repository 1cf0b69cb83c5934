import { DEVICE_TYPE_PATTERN, formatPersistentId, parsePersistentId } from '@otpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const type = fc.stringMatching(/^[a-z][a-z0-9_-]{0,31}$/);
const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });

describe('persistent ids (property)', () => {
  it('parses back every id it formats', () => {
    fc.assert(
      fc.property(type, id, (deviceType, pk) => {
        expect(parsePersistentId(formatPersistentId(deviceType, pk))).toEqual({ type: deviceType, id: pk });
      }),
    );
  });

  it('never throws, and whatever it accepts is canonical: formatting it gives the same text', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.tuple(type, fc.string({ maxLength: 20 })).map(([t, rest]) => `${t}/${rest}`),
      fc.tuple(type, fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n })).map(([t, n]) => `${t}/${n}`),
    );
    fc.assert(
      fc.property(fc.oneof(text, fc.anything()), (input) => {
        const parsed = parsePersistentId(input);
        if (parsed === null) return;
        expect(DEVICE_TYPE_PATTERN.test(parsed.type)).toBe(true);
        expect(Number.isSafeInteger(parsed.id) && parsed.id >= 1).toBe(true);
        expect(formatPersistentId(parsed.type, parsed.id)).toBe(input);
      }),
    );
  });

  it('refuses ids beyond the safe integer range, zero, negatives and leading zeros', () => {
    const unsafe = fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: 10n ** 30n });
    fc.assert(
      fc.property(type, unsafe, id, (deviceType, big, pk) => {
        expect(parsePersistentId(`${deviceType}/${big}`)).toBeNull();
        expect(parsePersistentId(`${deviceType}/0${pk}`)).toBeNull();
        expect(parsePersistentId(`${deviceType}/-${pk}`)).toBeNull();
        expect(parsePersistentId(`${deviceType}/0`)).toBeNull();
      }),
    );
  });

  it('refuses types that are not lower-case names, and surrounding whitespace', () => {
    const badType = fc.string({ minLength: 1, maxLength: 40 }).filter((text) => !DEVICE_TYPE_PATTERN.test(text));
    fc.assert(
      fc.property(badType, type, id, (bad, good, pk) => {
        expect(parsePersistentId(formatPersistentId(bad, pk))).toBeNull();
        expect(parsePersistentId(` ${formatPersistentId(good, pk)}`)).toBeNull();
        expect(parsePersistentId(`${formatPersistentId(good, pk)}\n`)).toBeNull();
      }),
    );
  });
});

import { ValidationError } from '@otpkit/core';

/** `+`, a country code and at most 15 digits in all. */
export const E164 = /^\+[1-9][0-9]{1,14}$/;

/**
 * The E.164 form of a phone number typed with the usual separators (`+1 (415) 555-0100` →
 * `+14155550100`), or `null` when it is not `+`, a country code and at most 15 digits in all.
 */
export function normalizePhoneNumber(input: unknown): string | null {
  const number = typeof input === 'string' && input.length <= 64 ? input.replace(/[\s().-]/g, '') : '';
  return E164.test(number) ? number : null;
}

/**
 * {@link normalizePhoneNumber}, for a device's `number`.
 * @throws ValidationError when it is not a phone number.
 */
export function e164Number(input: unknown): string {
  const number = normalizePhoneNumber(input);
  if (number === null) {
    throw new ValidationError('number must be a phone number in E.164 form, e.g. +14155550100', { field: 'number' });
  }
  return number;
}

import { ValidationError, type SignInAddress, type SignInMethod } from '@otpkit/core';
import { normalizeEmailAddress } from '@otpkit/email';
import { normalizePhoneNumber } from '@otpkit/sms';

/** A normalized address and the method that serves it. */
export interface Recipient {
  readonly method: SignInMethod;
  /** E.164 for `sms`, the email plugin's normal form for `email`. */
  readonly address: string;
}

const FIELD_OF_METHOD: Readonly<Record<SignInMethod, 'phone' | 'email'>> = Object.freeze({ sms: 'phone', email: 'email' });

/**
 * The form two addresses are the same person's in: the E.164 number, or the email address in
 * lower case (mail providers treat `Ann@` and `ann@` as one mailbox, so limits, pending
 * registrations and device lookups must too, or case variants multiply them).
 */
export function identityOf({ method, address }: Recipient): string {
  return method === 'sms' ? address : address.toLowerCase();
}

/** The address as a caller's `register` receives it: `{ phone }` or `{ email }`. */
export function addressOf({ method, address }: Recipient): SignInAddress {
  return method === 'sms' ? { phone: address } : { email: address };
}

/**
 * The recipient of `{ phone }` or `{ email }` (other keys, a code say, are the caller's).
 * @throws ValidationError (field `address`, `phone` or `email`) for anything but an object with
 * exactly one of the two, of a served method, holding a phone number or an email address.
 */
export function parseAddress(input: unknown, methods: readonly SignInMethod[]): Recipient {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError('the address must be an object: { phone } or { email }', { field: 'address' });
  }
  const given = (['sms', 'email'] as const).filter((method) => (input as Record<string, unknown>)[FIELD_OF_METHOD[method]] !== undefined);
  if (given.length !== 1) throw new ValidationError('give exactly one of phone and email', { field: 'address' });
  const method = given[0]!;
  const field = FIELD_OF_METHOD[method];
  if (!methods.includes(method)) throw new ValidationError(`sign-in by ${field} is not offered`, { field });
  const value: unknown = (input as Record<string, unknown>)[field];
  const address = method === 'sms' ? normalizePhoneNumber(value) : normalizeEmailAddress(typeof value === 'string' ? value.trim() : value);
  if (address === null) {
    throw new ValidationError(method === 'sms' ? 'phone must be a phone number in E.164 form, e.g. +14155550100' : 'email must be one email address, such as name@example.com', { field });
  }
  return { method, address };
}

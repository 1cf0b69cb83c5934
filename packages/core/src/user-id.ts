import { ValidationError } from './errors.js';

/** A user id as applications have them: an integer or a string (a UUID, say). */
export type UserId = string | number;

/**
 * The stored form of a user id: a string of at most 255 characters.
 * @throws ValidationError for anything that is not a safe integer or a non-empty string.
 */
export function storedUserId(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' && value.length > 0 && value.length <= 255) return value;
  throw new ValidationError('A user id must be an integer or a non-empty string of at most 255 characters', {
    field: 'userId',
  });
}

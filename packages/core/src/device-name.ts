import { ValidationError } from './errors.js';
import { isPrintableText } from './printable-text.js';

/** The longest device name, in characters (code points) after trimming. */
export const MAX_DEVICE_NAME_LENGTH = 64;

/**
 * A device name as it is stored: trimmed, NFC-normalised printable text of 1 to
 * {@link MAX_DEVICE_NAME_LENGTH} characters ({@link isPrintableText}: no NUL, CR/LF or other control,
 * no bidi override, no lone surrogate, no invisible formatting character).
 * @throws ValidationError (field `name`) for anything else.
 */
export function validateDeviceName(name: unknown): string {
  if (typeof name !== 'string' || !isPrintableText(name)) {
    throw new ValidationError('A device name must be printable text without control or bidi characters', { field: 'name' });
  }
  const trimmed = name.trim().normalize('NFC');
  const length = [...trimmed].length;
  if (length === 0 || length > MAX_DEVICE_NAME_LENGTH) {
    throw new ValidationError(`A device name must be 1 to ${MAX_DEVICE_NAME_LENGTH} characters`, { field: 'name' });
  }
  return trimmed;
}

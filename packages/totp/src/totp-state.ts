import { ValidationError } from '@otpkit/core';

/** The state of an imported TOTP device, besides its key and parameters (as django-otp keeps it). */
export interface TotpImportState {
  /** How many steps the device's clock is ahead (positive) or behind (negative). @default 0 */
  readonly drift?: number;
  /** The last time step a token was accepted from, with the drift applied; −1 before the first. @default -1 */
  readonly lastT?: number;
}

/** The largest drift, in steps, a device may be known to have (django-otp's is a 16-bit integer). */
const MAX_DRIFT = 32767;

/**
 * The `drift` and `lastT` of an imported TOTP device, checked.
 * @throws ValidationError naming the bad field.
 */
export function restoredTotpState(state: Readonly<TotpImportState>): { drift: number; lastT: number } {
  const { drift = 0, lastT = -1 } = state;
  if (!Number.isSafeInteger(drift) || Math.abs(drift) > MAX_DRIFT) {
    throw new ValidationError(`drift must be an integer from -${MAX_DRIFT} to ${MAX_DRIFT}`, { field: 'drift' });
  }
  if (!Number.isSafeInteger(lastT) || lastT < -1) throw new ValidationError('lastT must be an integer >= -1', { field: 'lastT' });
  return { drift, lastT };
}

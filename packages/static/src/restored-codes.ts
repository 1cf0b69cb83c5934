import { ValidationError, type DeviceRestoration } from '@otpkit/core';
import { canonicalChosenCode } from './backup-code.js';

/** The state of imported backup codes: the unused codes, in clear (as django-otp keeps them). */
export interface StaticImportState {
  readonly codes?: readonly string[];
}

/** The most codes one imported device may carry. */
const MAX_IMPORTED_CODES = 100;

/**
 * An imported device's backup codes, digested on the way in like any code (case, spaces and dashes
 * do not matter; a code listed twice is kept once).
 * @throws ValidationError when `codes` is not a list of at most 100 codes of letters and digits.
 */
export function restoredCodes(state: Readonly<StaticImportState>): DeviceRestoration {
  const { codes = [] } = state;
  if (!Array.isArray(codes) || codes.length > MAX_IMPORTED_CODES) {
    throw new ValidationError(`codes must list at most ${MAX_IMPORTED_CODES} backup codes`, { field: 'codes' });
  }
  const canonical = new Set(codes.map((code: unknown) => canonicalChosenCode(code)));
  return { fields: {}, children: { codes: [...canonical].map((tokenHash) => ({ tokenHash })) } };
}

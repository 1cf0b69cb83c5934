/**
 * Backup codes as users see them and as they are matched: generated from a CSPRNG, shown grouped,
 * compared in one canonical form (lower case, without spaces or dashes).
 * @module
 */
import { randomInt } from 'node:crypto';
import { normalizeToken, ValidationError } from '@otpkit/core';
import type { StaticTokensOptions } from './options.js';

/** A fresh random code, grouped for display (`abcde-fghjk`). */
export function randomBackupCode(options: StaticTokensOptions): string {
  const { alphabet, length, groupSize } = options;
  let code = '';
  for (let i = 0; i < length; i += 1) code += alphabet[randomInt(alphabet.length)];
  if (groupSize === 0) return code;
  return code.match(new RegExp(`.{1,${groupSize}}`, 'g'))!.join('-');
}

/**
 * The form a code is digested in. `token` is already normalized (no spaces or dashes), so only
 * case is left to fold.
 */
export function canonicalCode(token: string): string {
  return token.toLowerCase();
}

/**
 * The canonical form of a code an administrator chose.
 * @throws ValidationError when it is not letters and digits (spaces and dashes allowed), 1 to 64 long.
 */
export function canonicalChosenCode(input: unknown): string {
  const normalized = normalizeToken(input);
  if (normalized === null) {
    throw new ValidationError('A backup code must be 1 to 64 letters and digits', { field: 'token' });
  }
  return canonicalCode(normalized);
}

/**
 * How guessable a device's tokens are, and what a wrong guess costs the user's guessing budget.
 * A device states the chance that one guess at it succeeds (codes tested included); the budget
 * counts in units of {@link GUESS_UNIT}, the chance of one guess at a 6-digit TOTP code accepted
 * from 3 time steps, so a miss costs the same whichever path and devices it was tried against.
 * @module
 */

/** Tokens whose guesses need at least this many bits are unguessable online: never throttled, never charged. */
export const UNGUESSABLE_BITS = 50;

/** The chance of one guess at a 6-digit code tested against 3 codes: one unit of the guessing budget. */
export const GUESS_UNIT = 3e-6;

/** The chance that one guess succeeds against a device whose guesses need `bits` bits. */
export function guessChance(bits: number): number {
  return 2 ** -bits;
}

/** Whether a device whose guesses need `bits` bits (absent: not declared) can be guessed online. */
export function isGuessable(bits: number | undefined): boolean {
  return bits === undefined || bits < UNGUESSABLE_BITS;
}

/**
 * The units of the guessing budget one miss costs when it was tested with total success chance
 * `chance`: 0 when nothing guessable was tested, else at least 1, rounded up.
 */
export function guessCost(chance: number): number {
  if (chance <= guessChance(UNGUESSABLE_BITS)) return 0;
  return Math.max(1, Math.ceil(chance / GUESS_UNIT - 1e-9));
}

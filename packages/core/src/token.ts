/** The longest token input otpkit looks at; anything longer is a non-match without further work. */
export const MAX_TOKEN_LENGTH = 64;

const SEPARATORS = /[\s-]+/g;
const TOKEN_CHARACTERS = /^[0-9A-Za-z]+$/;

/**
 * Normalizes user token input once, for every device type: trims, removes the spaces and dashes
 * people type when a code is shown grouped (`123 456`, `abcd-efgh`), and refuses anything that is
 * not a non-empty run of ASCII letters and digits.
 *
 * @returns the normalized token, or `null` for input that can never match (never throws).
 */
export function normalizeToken(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_TOKEN_LENGTH * 2) return null;
  const token = input.replace(SEPARATORS, '');
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !TOKEN_CHARACTERS.test(token)) return null;
  return token;
}

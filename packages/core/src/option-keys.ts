import { ConfigurationError } from './errors.js';

/** The edit distance between two short names (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The names other OTP libraries and the Key-URI format give to options otpkit calls otherwise
 * (otplib's `period`, `window` and `epoch`): suggested when the owner has the otpkit name.
 */
const SYNONYMS: Readonly<Record<string, string>> = Object.freeze({ period: 'step', window: 'tolerance', epoch: 't0' });

/** The known key `key` most likely meant: its otpkit name, else the closest by edit distance, if close enough. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const synonym = Object.hasOwn(SYNONYMS, key) ? SYNONYMS[key] : undefined;
  if (synonym !== undefined && known.includes(synonym)) return synonym;
  return known
    .map((candidate) => ({ candidate, score: distance(key.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, score }) => score <= Math.max(2, Math.floor(candidate.length / 3)))
    .sort((a, b) => a.score - b.score)[0]?.candidate;
}

/**
 * What is wrong with the keys of `input` when one is not among `known`: the first unknown key, the
 * closest known key when there is one, and the known keys; `null` when every key is known.
 */
export function unknownOptionProblem(input: object, known: readonly string[]): string | null {
  const key = Object.keys(input).find((candidate) => !known.includes(candidate));
  if (key === undefined) return null;
  const closest = closestKey(key, known);
  const hint = closest === undefined ? '' : ` (did you mean "${closest}"?)`;
  return `unknown option "${key}"${hint}; the options are ${known.join(', ')}`;
}

/**
 * Refuses option keys that `owner` does not know, at start-up: a misspelt key (`secretKey`,
 * `period`) would otherwise be ignored in silence. The message names the key, the closest known
 * key when there is one, and the known keys.
 * @throws ConfigurationError
 */
export function checkOptionKeys(owner: string, input: object, known: readonly string[]): void {
  const problem = unknownOptionProblem(input, known);
  if (problem !== null) throw new ConfigurationError(`${owner}: ${problem}`);
}

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
 * Refuses option keys that `owner` does not know, at start-up: a misspelt key (`secretKey`,
 * `period`) would otherwise be ignored in silence. The message names the key, the closest known
 * key when there is one, and the known keys.
 * @throws ConfigurationError
 */
export function checkOptionKeys(owner: string, input: object, known: readonly string[]): void {
  for (const key of Object.keys(input)) {
    if (known.includes(key)) continue;
    const closest = known
      .map((candidate) => ({ candidate, score: distance(key.toLowerCase(), candidate.toLowerCase()) }))
      .filter(({ candidate, score }) => score <= Math.max(2, Math.floor(candidate.length / 3)))
      .sort((a, b) => a.score - b.score)[0];
    const hint = closest === undefined ? '' : ` (did you mean "${closest.candidate}"?)`;
    throw new ConfigurationError(`${owner}: unknown option "${key}"${hint}; the options are ${known.join(', ')}`);
  }
}

import { OATH_ALGORITHMS, type OathAlgorithm, type OathDigits } from '@otpkit/core';

/** The per-device token parameters of an HOTP device. */
export interface HotpParameters {
  readonly digits: OathDigits;
  readonly algorithm: OathAlgorithm;
  readonly tolerance: number;
  /** The counter value the next token is expected at. */
  readonly counter: number;
}

const RULES: readonly [keyof HotpParameters, (value: unknown) => boolean, string][] = [
  ['digits', (value) => value === 6 || value === 7 || value === 8, 'digits must be 6, 7 or 8'],
  ['algorithm', (value) => OATH_ALGORITHMS.includes(value as OathAlgorithm), "algorithm must be 'sha1', 'sha256' or 'sha512'"],
  ['tolerance', (value) => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 100, 'tolerance must be an integer from 0 to 100'],
  ['counter', (value) => Number.isSafeInteger(value) && (value as number) >= 0, 'counter must be an integer >= 0'],
];

/**
 * Checks HOTP parameters given as options or as a new device's input; `fail` throws the error
 * that fits (`ConfigurationError` or `ValidationError`).
 */
export function checkHotpParameters(
  values: Readonly<Record<keyof HotpParameters, unknown>>,
  fail: (field: keyof HotpParameters, message: string) => never,
): HotpParameters {
  for (const [field, valid, message] of RULES) if (!valid(values[field])) fail(field, message);
  const { digits, algorithm, tolerance, counter } = values as HotpParameters;
  return { digits, algorithm, tolerance, counter };
}

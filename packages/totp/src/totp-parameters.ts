import { OATH_ALGORITHMS, type OathAlgorithm } from '@otpkit/core';

/** The per-device token parameters: plugin-wide defaults in the options, overridable per device. */
export interface TotpParameters {
  readonly digits: 6 | 8;
  readonly algorithm: OathAlgorithm;
  readonly step: number;
  readonly t0: number;
  readonly tolerance: number;
}

function integerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/**
 * Checks token parameters given as options (a `ConfigurationError`) or as a new device's input (a
 * `ValidationError`): `fail` decides which.
 */
export function checkTotpParameters(
  values: Readonly<Record<keyof TotpParameters, unknown>>,
  fail: (field: keyof TotpParameters, message: string) => never,
): TotpParameters {
  const { digits, algorithm, step, t0, tolerance } = values;
  if (digits !== 6 && digits !== 8) fail('digits', 'digits must be 6 or 8');
  if (!OATH_ALGORITHMS.includes(algorithm as OathAlgorithm)) fail('algorithm', "algorithm must be 'sha1', 'sha256' or 'sha512'");
  if (!integerIn(step, 1, 3600)) fail('step', 'step must be an integer from 1 to 3600 seconds');
  if (!integerIn(t0, 0, Number.MAX_SAFE_INTEGER)) fail('t0', 't0 must be an integer >= 0 (Unix seconds)');
  if (!integerIn(tolerance, 0, 10)) fail('tolerance', 'tolerance must be an integer from 0 to 10');
  return values as TotpParameters;
}

import type { VerifyOutcome } from '@otpkit/core';
import { CliError } from './cli-error.js';

/** The error a refused verification is reported as: throttled (with when it lifts) or rejected. */
export function refusal(outcome: Exclude<VerifyOutcome, { ok: true }>): CliError {
  if (outcome.reason === 'throttled') {
    const until = new Date(outcome.lockedUntil).toISOString();
    return new CliError('ERR_CLI_THROTTLED', `Too many failed attempts (${outcome.failureCount}); try again after ${until}`);
  }
  return new CliError('ERR_CLI_TOKEN_REJECTED');
}

import { DeviceNotFoundError, type ChallengeOutcome, type VerifyOutcome } from '@otpkit/core';
import { CliError } from './cli-error.js';

const when = (epochMs: number) => new Date(epochMs).toISOString();

/** The error a refused verification is reported as: throttled (with when it lifts) or rejected. */
export function refusal(outcome: Exclude<VerifyOutcome, { ok: true }>): CliError {
  if (outcome.reason === 'throttled') {
    return new CliError('ERR_CLI_THROTTLED', `Too many failed attempts (${outcome.failureCount}); try again after ${when(outcome.lockedUntil)}`);
  }
  return new CliError('ERR_CLI_TOKEN_REJECTED');
}

/** The error a refused send is reported as: too soon or over a daily limit (with when to retry), not a device that sends, or no device. */
export function sendRefusal(outcome: Exclude<ChallengeOutcome, { ok: true }>): Error {
  switch (outcome.reason) {
    case 'cooldown':
      return new CliError('ERR_CLI_NOT_SENT', `No token was sent: one was sent moments ago; try again after ${when(outcome.nextAt)}`);
    case 'daily_limit':
      return new CliError('ERR_CLI_NOT_SENT', `No token was sent: the daily limit of sends is reached; try again after ${when(outcome.retryAt)}`);
    case 'not_interactive':
      return new CliError('ERR_CLI_NOT_SENT', 'No token was sent: this device shows its tokens itself');
    case 'no_device':
      return new DeviceNotFoundError();
  }
}

import { describeRefusal, DeviceNotFoundError, ValidationError, type ChallengeRefusal, type OtpError, type VerifyRefusal } from '@otpkit/core';
import { NotSentError, ThrottledError, TokenRejectedError } from './cli-error.js';

/** What `ValidationError` says for input that can never be a token. */
const MALFORMED_TOKEN_MESSAGE = 'A token is 1 to 64 letters and digits (spaces and dashes allowed)';

const when = (epochMs: number) => new Date(epochMs).toISOString();

/**
 * The error a refused verification is reported as, by reason: throttled (with when it lifts), a
 * malformed token (invalid input), or rejected.
 */
export function refusal(outcome: VerifyRefusal, now: number): OtpError {
  const { reason, failureCount, retryAt } = describeRefusal(outcome, now);
  switch (reason) {
    case 'throttled':
      return new ThrottledError(`Too many failed attempts (${failureCount}); try again after ${when(retryAt ?? now)}`);
    case 'malformed_token':
      return new ValidationError(MALFORMED_TOKEN_MESSAGE, { field: 'token' });
    case 'invalid_token':
    case 'no_device':
      return new TokenRejectedError();
    case 'suspected_clone':
      return new TokenRejectedError('The token was refused: the authenticator may have been copied (its signature counter went back)');
  }
}

/** The error a refused send is reported as: too soon or over a daily limit (with when to retry), not a device that sends, or no device. */
export function sendRefusal(outcome: ChallengeRefusal, now: number): OtpError {
  const { reason, retryAt } = describeRefusal(outcome, now);
  switch (reason) {
    case 'cooldown':
      return new NotSentError(`No token was sent: one was sent moments ago; try again after ${when(retryAt ?? now)}`);
    case 'daily_limit':
      return new NotSentError(`No token was sent: the daily limit of sends is reached; try again after ${when(retryAt ?? now)}`);
    case 'not_interactive':
      return new NotSentError('No token was sent: this device shows its tokens itself');
    case 'no_device':
      return new DeviceNotFoundError();
  }
}

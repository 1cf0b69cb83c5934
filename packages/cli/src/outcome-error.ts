import { describeRefusal, ValidationError, type OtpError, type VerifyRefusal } from '@otpkit/core';
import { ThrottledError, TokenRejectedError } from './cli-error.js';

/** What `ValidationError` says for input that can never be a token. */
const MALFORMED_TOKEN_MESSAGE = 'A token is 1 to 64 letters and digits (spaces and dashes allowed)';

/**
 * The error a refused verification is reported as, by reason: throttled (with when it lifts), a
 * malformed token (invalid input), or rejected.
 */
export function refusal(outcome: VerifyRefusal, now: number): OtpError {
  const { reason, failureCount, retryAt } = describeRefusal(outcome, now);
  switch (reason) {
    case 'throttled':
      return new ThrottledError(`Too many failed attempts (${failureCount}); try again after ${new Date(retryAt ?? now).toISOString()}`);
    case 'malformed_token':
      return new ValidationError(MALFORMED_TOKEN_MESSAGE, { field: 'token' });
    case 'invalid_token':
    case 'no_device':
      return new TokenRejectedError();
  }
}

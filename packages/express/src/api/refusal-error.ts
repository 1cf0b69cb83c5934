import type { RefusalDescription, RefusalReason } from '@otpkit/core';
import type { HttpErrorCode } from '../http-errors.js';
import { ApiError } from './api-error.js';

/** The JSON API's code for each reason core refuses with (the status is the code's, in `httpErrors`). */
const API_CODES: Readonly<Record<RefusalReason, HttpErrorCode>> = {
  invalid_token: 'invalid_token',
  malformed_token: 'malformed_token',
  no_device: 'device_not_found',
  throttled: 'throttled',
  suspected_clone: 'suspected_clone',
  not_interactive: 'not_interactive',
  cooldown: 'cooldown',
  daily_limit: 'daily_limit',
};

/** The API error a refusal is answered with: its code, and `failureCount` and `retryAfter` when the refusal has them. */
export function refusalError({ reason, failureCount, retryAfter }: RefusalDescription): ApiError {
  const details = { ...(failureCount === null ? {} : { failureCount }), ...(retryAfter === null ? {} : { retryAfter }) };
  return new ApiError(API_CODES[reason], { details });
}

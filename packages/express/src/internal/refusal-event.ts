import type { RefusalDescription } from '@otpkit/core';
import type { OtpEvent } from '../events.js';

/** The event a refused verification is reported as, with the budget fields when the refusal has them. */
export function refusalEvent({ reason, failureCount, retryAt }: RefusalDescription): Pick<OtpEvent, 'failureCount' | 'lockedUntil'> & {
  readonly type: 'failed' | 'throttled';
} {
  return { type: reason === 'throttled' ? 'throttled' : 'failed', ...(failureCount === null ? {} : { failureCount, lockedUntil: retryAt }) };
}

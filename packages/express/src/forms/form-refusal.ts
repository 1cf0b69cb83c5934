import type { ChallengeRefusalReason, RefusalDescription, Translate, VerifyRefusalReason } from '@otpkit/core';
import { formError, type OtpFormError, type OtpFormErrorCode } from './form-errors.js';

/** How a token form shows one reason: its form error code, the field it belongs to and the status. */
interface FormAnswer {
  readonly code: OtpFormErrorCode;
  readonly field?: OtpFormError['field'];
  readonly status: 400 | 429;
}

/** A refused verification, by reason (django-otp's codes: a missing device is an invalid token). */
const VERIFY_ANSWERS: Readonly<Record<VerifyRefusalReason, FormAnswer>> = {
  invalid_token: { code: 'invalid_token', field: 'otp_token', status: 400 },
  malformed_token: { code: 'malformed_token', field: 'otp_token', status: 400 },
  no_device: { code: 'invalid_token', field: 'otp_token', status: 400 },
  throttled: { code: 'n_failed_attempts', field: 'otp_token', status: 429 },
  suspected_clone: { code: 'suspected_clone', field: 'otp_token', status: 400 },
};

/** A refused challenge, by reason (django-otp's codes: a missing device is not interactive). */
const CHALLENGE_ANSWERS: Readonly<Record<ChallengeRefusalReason, FormAnswer>> = {
  no_device: { code: 'not_interactive', field: 'otp_device', status: 400 },
  not_interactive: { code: 'not_interactive', field: 'otp_device', status: 400 },
  cooldown: { code: 'cooldown', status: 429 },
  daily_limit: { code: 'daily_limit', status: 429 },
};

/** The status and form error of a refusal shown as `answer`; `failureCount` and `retryAfter` fill the message, in `t`'s locale. */
function show(t: Translate, answer: FormAnswer, { failureCount, retryAfter }: RefusalDescription): FormRefusal {
  const values = { ...(failureCount === null ? {} : { failureCount }), ...(retryAfter === null ? {} : { retryAfter }) };
  return { status: answer.status, error: formError(t, answer.code, values, answer.field) };
}

/** How a token form shows a refusal: the status and the error. */
export interface FormRefusal {
  readonly status: 400 | 429;
  readonly error: OtpFormError;
}

/** How a token form shows a refused verification, in `t`'s locale. */
export function verifyFormRefusal(t: Translate, refusal: RefusalDescription<VerifyRefusalReason>): FormRefusal {
  return show(t, VERIFY_ANSWERS[refusal.reason], refusal);
}

/** How a token form shows a refused challenge, in `t`'s locale. */
export function challengeFormRefusal(t: Translate, refusal: RefusalDescription<ChallengeRefusalReason>): FormRefusal {
  return show(t, CHALLENGE_ANSWERS[refusal.reason], refusal);
}

import type { MessageKey, MessageParams, Translate } from '@otpkit/core';

/** The code a catalog key `form.<code>` names. */
type FormCodeOf<K> = K extends `form.${infer Code}` ? Code : never;

/**
 * The error codes of otpkit's token forms (django-otp's, plus `malformed_token`, `cooldown`,
 * `daily_limit`, `invalid_login`, `invalid_credentials`, `passkey_refused`, `field_required`): each one's message is the
 * catalog's `form.<code>` (`otp.messages`), in the request's locale.
 */
export type OtpFormErrorCode = FormCodeOf<MessageKey>;

/** A form error: a stable code, the message to show, and the field it belongs to (if any). */
export interface OtpFormError {
  readonly code: OtpFormErrorCode;
  readonly message: string;
  readonly field?: 'username' | 'password' | 'otp_token' | 'otp_device';
  /** Seconds until a throttle, a cooldown or a daily send limit lifts (or the next attempt after a miss is allowed). */
  readonly retryAfter?: number;
}

/** Builds a form error, its message the catalog's `form.<code>` in `t`'s locale, filled from `values`. */
export function formError(t: Translate, code: OtpFormErrorCode, values: MessageParams = {}, field?: OtpFormError['field']): OtpFormError {
  const retryAfter = typeof values.retryAfter === 'number' ? values.retryAfter : undefined;
  return { code, message: t(`form.${code}`, values), ...(field === undefined ? {} : { field }), ...(retryAfter === undefined ? {} : { retryAfter }) };
}

/**
 * The error codes of otpkit's token forms (django-otp's, plus `malformed_token`, `cooldown`, `daily_limit`,
 * `invalid_login`, `field_required`), each with a default message. `{0}` is the challenge's message or error.
 */
export const otpFormMessages = {
  token_required: 'Please enter your OTP token.',
  invalid_token: 'Invalid token. Please make sure you have entered it correctly.',
  malformed_token: 'That is not a token. Please enter the letters and digits of the code, as it was given.',
  challenge_exception: 'Error generating challenge: {0}',
  not_interactive: 'The selected OTP device is not interactive',
  challenge_message: 'OTP Challenge: {0}',
  n_failed_attempts:
    'Verification temporarily disabled because of {failureCount} failed attempt(s), please try again in {retryAfter} second(s).',
  cooldown: 'A code was sent recently; you can ask for another in {retryAfter} second(s).',
  daily_limit: 'Too many codes were sent today; you can ask for another in {retryAfter} second(s), or use another device.',
  suspected_clone: 'This security key may have been copied, so it was refused. Use another device and tell the site owner.',
  invalid_login: 'Please enter a correct username and password.',
  passkey_refused: 'That passkey could not sign you in. Try again, or sign in with your password.',
  field_required: 'This field is required.',
} as const;

/** One of the form error codes of {@link otpFormMessages}. */
export type OtpFormErrorCode = keyof typeof otpFormMessages;

/** A form error: a stable code, the message to show, and the field it belongs to (if any). */
export interface OtpFormError {
  readonly code: OtpFormErrorCode;
  readonly message: string;
  readonly field?: 'username' | 'password' | 'otp_token' | 'otp_device';
  /** Seconds until a throttle, a cooldown or a daily send limit lifts (or the next attempt after a miss is allowed). */
  readonly retryAfter?: number;
}

/** Builds a form error, filling `{name}` placeholders of the default message. */
export function formError(
  code: OtpFormErrorCode,
  values: Readonly<Record<string, string | number>> = {},
  field?: OtpFormError['field'],
): OtpFormError {
  const message = otpFormMessages[code].replace(/\{(\w+)\}/g, (_m, name: string) => String(values[name] ?? ''));
  const retryAfter = typeof values.retryAfter === 'number' ? values.retryAfter : undefined;
  return { code, message, ...(field === undefined ? {} : { field }), ...(retryAfter === undefined ? {} : { retryAfter }) };
}

import type { Response } from 'express';
import type { OtpError } from '@otpkit/core';

/**
 * The stable error codes of otpkit's JSON answers, with their HTTP status and default message.
 * Bodies look like `{ "error": { "code": "throttled", "message": "…", … } }`.
 */
export const httpErrors = {
  invalid_request: { status: 400, message: 'The request is not valid' },
  malformed_json: { status: 400, message: 'The request body is not valid JSON' },
  invalid_token: { status: 400, message: 'Invalid token. Please make sure you have entered it correctly.' },
  malformed_token: { status: 400, message: 'That is not a token: enter the letters and digits of the code, as it was given.' },
  not_interactive: { status: 400, message: 'The selected device does not send codes' },
  unauthenticated: { status: 401, message: 'Log in first' },
  token_required: { status: 401, message: 'Send an access token: Authorization: Bearer <token>' },
  token_invalid: { status: 401, message: 'The token is not valid; refresh it or sign in again' },
  step_up_required: { status: 401, message: 'Sign in again, more strongly or more recently, to do this' },
  verification_required: { status: 403, message: 'Verify with a second factor first' },
  recent_verification_required: { status: 403, message: 'Verify with a second factor again to do this' },
  admin_forbidden: { status: 403, message: 'This is for administrators only' },
  enrolment_required: { status: 403, message: 'Your account requires two-factor authentication: set up a second factor first' },
  csrf_invalid: { status: 403, message: 'The form expired or was not sent from this site; reload and try again' },
  device_not_found: { status: 404, message: 'No such device' },
  not_found: { status: 404, message: 'Not found' },
  already_confirmed: { status: 409, message: 'The device is already confirmed' },
  no_rescue_address: { status: 409, message: 'There is no confirmed address to send a rescue code to' },
  payload_too_large: { status: 413, message: 'The request body is too large' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json' },
  signin_invalid: { status: 400, message: 'That code is not right, expired or was already used; ask for a new one' },
  link_invalid: { status: 400, message: 'This sign-in link is not valid: it expired or was already used. Ask for a new one.' },
  suspected_clone: { status: 400, message: 'This security key may have been copied, so it was refused; use another device and tell the site owner' },
  throttled: { status: 429, message: 'Too many failed attempts; try again later' },
  cooldown: { status: 429, message: 'A code was sent recently; wait before asking for another' },
  signin_rate_limited: { status: 429, message: 'Too many sign-in attempts; try again later' },
  daily_limit: { status: 429, message: 'Too many codes were sent today; try again later or use another device' },
  internal: { status: 500, message: 'Something went wrong' },
  delivery_failed: { status: 502, message: 'The code could not be delivered' },
  storage_unavailable: { status: 503, message: 'The device store is unavailable' },
  secret_unavailable: { status: 503, message: "This device's secret cannot be used right now; use another device" },
} as const;

/** One of the stable error codes of {@link httpErrors}. */
export type HttpErrorCode = keyof typeof httpErrors;

/** Sends `{ error: { code, message, ...details } }` with the code's status. */
export function sendError(res: Response, code: HttpErrorCode, details: Record<string, unknown> = {}): void {
  const { status, message } = httpErrors[code];
  res.status(status).json({ error: { code, message, ...details } });
}

/** The HTTP error code an otpkit error maps to: input 400, unknown device 404, delivery 502, storage and unopenable secrets 503. */
export function codeForOtpError(error: OtpError): HttpErrorCode {
  switch (error.code) {
    case 'ERR_OTP_INVALID_INPUT':
      return 'invalid_request';
    case 'ERR_OTP_DEVICE_NOT_FOUND':
      return 'device_not_found';
    case 'ERR_OTP_DELIVERY':
      return 'delivery_failed';
    case 'ERR_OTP_STORAGE':
      return 'storage_unavailable';
    case 'ERR_OTP_SECRET':
      return 'secret_unavailable';
    default:
      return 'internal';
  }
}

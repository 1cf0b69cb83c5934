import type { Response } from 'express';
import { isOtpError, type OtpError, type Translate } from '@otpkit/core';

/**
 * The stable error codes of otpkit's JSON answers, with their HTTP status. Bodies look like
 * `{ "error": { "code": "throttled", "message": "…", … } }`; the message is the catalog's
 * `error.<code>` (`otp.messages`) in the request's locale.
 */
export const httpErrors = {
  invalid_request: { status: 400 },
  malformed_json: { status: 400 },
  invalid_token: { status: 400 },
  malformed_token: { status: 400 },
  token_not_string: { status: 400 },
  not_interactive: { status: 400 },
  unauthenticated: { status: 401 },
  token_required: { status: 401 },
  token_invalid: { status: 401 },
  step_up_required: { status: 401 },
  verification_required: { status: 403 },
  recent_verification_required: { status: 403 },
  admin_forbidden: { status: 403 },
  enrolment_required: { status: 403 },
  csrf_invalid: { status: 403 },
  device_not_found: { status: 404 },
  not_found: { status: 404 },
  rescue_unavailable: { status: 404 },
  already_confirmed: { status: 409 },
  no_rescue_address: { status: 409 },
  payload_too_large: { status: 413 },
  unsupported_media_type: { status: 415 },
  signin_invalid: { status: 400 },
  link_invalid: { status: 400 },
  suspected_clone: { status: 400 },
  throttled: { status: 429 },
  cooldown: { status: 429 },
  signin_rate_limited: { status: 429 },
  daily_limit: { status: 429 },
  internal: { status: 500 },
  delivery_failed: { status: 502 },
  storage_unavailable: { status: 503 },
  secret_unavailable: { status: 503 },
} as const;

/** One of the stable error codes of {@link httpErrors}. */
export type HttpErrorCode = keyof typeof httpErrors;

/**
 * Seconds `Retry-After` asks a client to wait after a 503 `storage_unavailable`: the database was
 * unreachable or dropped the connection (a restart, a failover), which takes seconds.
 */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/** Whether `error` is core's `StorageError` (`ERR_OTP_STORAGE`): the database failed or was unreachable. */
export function isStorageFailure(error: unknown): boolean {
  return isOtpError(error) && error.code === 'ERR_OTP_STORAGE';
}

/**
 * Sends `{ error: { code, message, ...details } }` with the code's status, the message in `t`'s
 * locale (every code has its `error.<code>` in the catalog: a missing one fails the type check here);
 * `storage_unavailable` with `Retry-After` ({@link STORAGE_RETRY_AFTER_SECONDS}).
 */
export function sendError(res: Response, t: Translate, code: HttpErrorCode, details: Record<string, unknown> = {}): void {
  if (code === 'storage_unavailable') res.set('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS));
  res.status(httpErrors[code].status).json({ error: { code, message: t(`error.${code}`), ...details } });
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

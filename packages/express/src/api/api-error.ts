import { OtpError } from '@otpkit/core';
import { httpErrors, type HttpErrorCode } from '../http-errors.js';

declare module '@otpkit/core' {
  interface OtpErrorsByCode {
    ERR_EXPRESS_API_REFUSAL: ApiError;
  }
}

/**
 * A refusal the JSON API answers with a stable HTTP code (`apiCode`, the body's `code`) and its
 * details; thrown by handlers, sent by the router's error handler, never seen outside it.
 */
export class ApiError extends OtpError {
  readonly code = 'ERR_EXPRESS_API_REFUSAL';
  /** The code of the JSON answer, with its status in {@link httpErrors}. */
  readonly apiCode: HttpErrorCode;
  /** Fields the answer carries next to `code` and `message` (`failureCount`, `retryAfter`). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(apiCode: HttpErrorCode, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(`the JSON API answers ${apiCode} (${httpErrors[apiCode].status})`, options);
    this.apiCode = apiCode;
    this.details = options.details ?? {};
  }
}

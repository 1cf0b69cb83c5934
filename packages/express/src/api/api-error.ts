import type { HttpErrorCode } from '../http-errors.js';

/** A refusal the JSON API answers with a stable code; thrown by handlers, sent by the router's error handler. */
export class ApiError extends Error {
  readonly code: HttpErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: HttpErrorCode, details: Record<string, unknown> = {}) {
    super(code);
    this.code = code;
    this.details = details;
  }
}

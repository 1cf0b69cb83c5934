/**
 * Every error otpkit throws is an {@link OtpError} with a stable `code`. Expected outcomes (a wrong
 * token, a throttled device, a cooldown) are returned as values and never thrown.
 *
 * Messages are fixed per code: they never carry a token, a secret or a driver's message, so they
 * are safe to log and to show. The underlying error, if any, is kept in `cause`.
 * @module
 */

/** The stable error codes of `@otpkit/core` and the default message of each. */
export const errorCodes = {
  ERR_OTP_CONFIGURATION: 'otpkit is misconfigured',
  ERR_OTP_INVALID_INPUT: 'The input is not valid',
  ERR_OTP_DEVICE_NOT_FOUND: 'No such device',
  ERR_OTP_DELIVERY: 'The token could not be delivered',
  ERR_OTP_STORAGE: 'The device store failed',
  ERR_OTP_SECRET: 'A stored secret could not be decrypted',
} as const;

/**
 * Every otpkit error class, by its code: the one vocabulary of `code`s. Core's are here;
 * `@otpkit/express` and `@otpkit/cli` add theirs by declaration merging
 * (`declare module '@otpkit/core' { interface OtpErrorsByCode { … } }`), so a code names one class
 * and comparing `error.code` narrows an {@link AnyOtpError} to it.
 */
export interface OtpErrorsByCode {
  ERR_OTP_CONFIGURATION: ConfigurationError;
  ERR_OTP_INVALID_INPUT: ValidationError;
  ERR_OTP_DEVICE_NOT_FOUND: DeviceNotFoundError;
  ERR_OTP_DELIVERY: DeliveryError;
  ERR_OTP_STORAGE: StorageError;
  ERR_OTP_SECRET: SecretError;
}

/** One of the stable `ERR_*` codes of {@link OtpErrorsByCode}. */
export type OtpErrorCode = keyof OtpErrorsByCode;

/** Any otpkit error, as a union over `code`: `if (error.code === 'ERR_OTP_INVALID_INPUT') error.field`. */
export type AnyOtpError = OtpErrorsByCode[OtpErrorCode];

/** Options shared by every otpkit error. */
export interface OtpErrorOptions {
  /** The underlying error, kept for logs and debugging; never shown to end users by otpkit. */
  cause?: unknown;
}

/**
 * Base class of every error otpkit throws: `new XError(message?, { cause })`, where `message`
 * (safe, never a secret) defaults to the code's fixed message. Each subclass has one literal `code`.
 */
export abstract class OtpError extends Error {
  /** The stable machine-readable code. */
  abstract readonly code: OtpErrorCode;

  constructor(message: string, options: OtpErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
  }
}

/**
 * Whether `error` is an otpkit error, typed so that comparing its `code` narrows it. Checks the
 * class, or the code of core's table for an error from another copy of `@otpkit/core` (a
 * configuration file that imports its own).
 */
export function isOtpError(error: unknown): error is AnyOtpError {
  if (error instanceof OtpError) return true;
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(errorCodes, code);
}

/** Options or the database are not usable: thrown at start-up, before any request is served. */
export class ConfigurationError extends OtpError {
  readonly code = 'ERR_OTP_CONFIGURATION';

  constructor(message: string = errorCodes.ERR_OTP_CONFIGURATION, options?: OtpErrorOptions) {
    super(message, options);
  }
}

/** Caller input (not a token: tokens never throw) failed validation. `field` names what was wrong. */
export class ValidationError extends OtpError {
  readonly code = 'ERR_OTP_INVALID_INPUT';
  /** The name of the offending field, when there is one. */
  readonly field: string | undefined;

  constructor(message: string = errorCodes.ERR_OTP_INVALID_INPUT, options: OtpErrorOptions & { field?: string } = {}) {
    super(message, options);
    this.field = options.field;
  }
}

/** The device does not exist or belongs to someone else (the two are indistinguishable). */
export class DeviceNotFoundError extends OtpError {
  readonly code = 'ERR_OTP_DEVICE_NOT_FOUND';

  constructor(message: string = errorCodes.ERR_OTP_DEVICE_NOT_FOUND, options?: OtpErrorOptions) {
    super(message, options);
  }
}

/** Sending a token (mail, SMS) failed. The device is left as if no token had been generated. */
export class DeliveryError extends OtpError {
  readonly code = 'ERR_OTP_DELIVERY';

  constructor(message: string = errorCodes.ERR_OTP_DELIVERY, options?: OtpErrorOptions) {
    super(message, options);
  }
}

/** The database failed or was unreachable. The transaction was rolled back. */
export class StorageError extends OtpError {
  readonly code = 'ERR_OTP_STORAGE';

  constructor(message: string = errorCodes.ERR_OTP_STORAGE, options?: OtpErrorOptions) {
    super(message, options);
  }
}

/** A stored secret could not be decrypted: unknown key id, wrong key, or tampered ciphertext. */
export class SecretError extends OtpError {
  readonly code = 'ERR_OTP_SECRET';

  constructor(message: string = errorCodes.ERR_OTP_SECRET, options?: OtpErrorOptions) {
    super(message, options);
  }
}

/**
 * Every error otpkit throws is an {@link OtpError} with a stable `code`. Expected outcomes (a wrong
 * token, a throttled device, a cooldown) are returned as values and never thrown.
 *
 * Messages are fixed per code: they never carry a token, a secret or a driver's message, so they
 * are safe to log and to show. The underlying error, if any, is kept in `cause`.
 * @module
 */

/** The stable error codes and the default message of each. */
export const errorCodes = {
  ERR_OTP_CONFIGURATION: 'otpkit is misconfigured',
  ERR_OTP_INVALID_INPUT: 'The input is not valid',
  ERR_OTP_DEVICE_NOT_FOUND: 'No such device',
  ERR_OTP_DELIVERY: 'The token could not be delivered',
  ERR_OTP_STORAGE: 'The device store failed',
  ERR_OTP_SECRET: 'A stored secret could not be decrypted',
} as const;

/** One of the stable `ERR_OTP_*` codes. */
export type OtpErrorCode = keyof typeof errorCodes;

/** Options shared by every otpkit error. */
export interface OtpErrorOptions {
  /** The underlying error, kept for logs and debugging; never shown to end users by otpkit. */
  cause?: unknown;
  /** A safe, more specific message; defaults to the code's message. Must not contain secrets. */
  message?: string;
}

/** Base class of every error otpkit throws. Check `code`, not the class name, across packages. */
export class OtpError extends Error {
  /** The stable machine-readable code. */
  readonly code: OtpErrorCode;

  constructor(code: OtpErrorCode, options: OtpErrorOptions = {}) {
    super(options.message ?? errorCodes[code], { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** Options or the database are not usable: thrown at start-up, before any request is served. */
export class ConfigurationError extends OtpError {
  constructor(message: string, options: Omit<OtpErrorOptions, 'message'> = {}) {
    super('ERR_OTP_CONFIGURATION', { ...options, message });
  }
}

/** Caller input (not a token: tokens never throw) failed validation. `field` names what was wrong. */
export class ValidationError extends OtpError {
  /** The name of the offending field, when there is one. */
  readonly field: string | undefined;

  constructor(message: string, options: Omit<OtpErrorOptions, 'message'> & { field?: string } = {}) {
    super('ERR_OTP_INVALID_INPUT', { cause: options.cause, message });
    this.field = options.field;
  }
}

/** The device does not exist or belongs to someone else (the two are indistinguishable). */
export class DeviceNotFoundError extends OtpError {
  constructor(options: Omit<OtpErrorOptions, 'message'> = {}) {
    super('ERR_OTP_DEVICE_NOT_FOUND', options);
  }
}

/** Sending a token (mail, SMS) failed. The device is left as if no token had been generated. */
export class DeliveryError extends OtpError {
  constructor(options: OtpErrorOptions = {}) {
    super('ERR_OTP_DELIVERY', options);
  }
}

/** The database failed or was unreachable. The transaction was rolled back. */
export class StorageError extends OtpError {
  constructor(options: Omit<OtpErrorOptions, 'message'> = {}) {
    super('ERR_OTP_STORAGE', options);
  }
}

/** A stored secret could not be decrypted: unknown key id, wrong key, or tampered ciphertext. */
export class SecretError extends OtpError {
  constructor(message: string = errorCodes.ERR_OTP_SECRET, options: Omit<OtpErrorOptions, 'message'> = {}) {
    super('ERR_OTP_SECRET', { ...options, message });
  }
}

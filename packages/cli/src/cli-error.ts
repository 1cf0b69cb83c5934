import { OtpError, type OtpErrorOptions } from '@otpkit/core';

/** The codes of the errors only the command line reports (core's `ERR_OTP_*` codes are used as they are). */
export const cliErrorCodes = {
  ERR_CLI_NO_CONFIG: 'No configuration: pass --config PATH, add otpkit.config.ts (or .js), or set DATABASE_URL',
  ERR_CLI_UNKNOWN_USER: 'No such user',
  ERR_CLI_TOKEN_REJECTED: 'The token was not accepted',
  ERR_CLI_THROTTLED: 'Too many failed attempts; try again later',
  ERR_CLI_NOT_SENT: 'No token was sent',
  ERR_CLI_SECRET_PROBLEMS: 'Some stored secrets cannot be used with the configured keys',
  ERR_CLI_UNKNOWN_BROWSER: 'The user has no remembered browser with that id',
  ERR_CLI_BROWSER_ONLY: 'Devices of this type are registered and used in a browser, not on the command line',
} as const;

/** One of the command line's own error codes. */
export type CliErrorCode = keyof typeof cliErrorCodes;

declare module '@otpkit/core' {
  interface OtpErrorsByCode {
    ERR_CLI_NO_CONFIG: NoConfigError;
    ERR_CLI_UNKNOWN_USER: UnknownUserError;
    ERR_CLI_TOKEN_REJECTED: TokenRejectedError;
    ERR_CLI_THROTTLED: ThrottledError;
    ERR_CLI_NOT_SENT: NotSentError;
    ERR_CLI_SECRET_PROBLEMS: SecretProblemsError;
    ERR_CLI_UNKNOWN_BROWSER: UnknownBrowserError;
    ERR_CLI_BROWSER_ONLY: BrowserOnlyError;
  }
}

/**
 * An error a command reports on stderr with exit code 1; the message is safe to print. Each
 * subclass has one code, as a static and on its instances; the message defaults to the code's.
 */
export abstract class CliError extends OtpError {
  abstract override readonly code: CliErrorCode;

  constructor(message?: string, options?: OtpErrorOptions) {
    super(message ?? cliErrorCodes[(new.target as unknown as { readonly code: CliErrorCode }).code], options);
  }
}

/** No `--config`, no configuration file and no `DATABASE_URL`. */
export class NoConfigError extends CliError {
  static readonly code = 'ERR_CLI_NO_CONFIG';
  readonly code = NoConfigError.code;
}

/** No user has the username given. */
export class UnknownUserError extends CliError {
  static readonly code = 'ERR_CLI_UNKNOWN_USER';
  readonly code = UnknownUserError.code;
}

/** A token did not verify (or the device it was for is gone). */
export class TokenRejectedError extends CliError {
  static readonly code = 'ERR_CLI_TOKEN_REJECTED';
  readonly code = TokenRejectedError.code;
}

/** Too many failed attempts; the message says until when. */
export class ThrottledError extends CliError {
  static readonly code = 'ERR_CLI_THROTTLED';
  readonly code = ThrottledError.code;
}

/** A challenge sent no token (a cooldown, a daily limit, a device that shows its own tokens); the message says why. */
export class NotSentError extends CliError {
  static readonly code = 'ERR_CLI_NOT_SENT';
  readonly code = NotSentError.code;
}

/** Some stored secrets cannot be used with the configured keys. */
export class SecretProblemsError extends CliError {
  static readonly code = 'ERR_CLI_SECRET_PROBLEMS';
  readonly code = SecretProblemsError.code;
}

/** The user has no remembered browser with the id given. */
export class UnknownBrowserError extends CliError {
  static readonly code = 'ERR_CLI_UNKNOWN_BROWSER';
  readonly code = UnknownBrowserError.code;
}

/** A ceremony only a browser can answer (a WebAuthn registration or challenge); the message says what the command line can do instead. */
export class BrowserOnlyError extends CliError {
  static readonly code = 'ERR_CLI_BROWSER_ONLY';
  readonly code = BrowserOnlyError.code;
}

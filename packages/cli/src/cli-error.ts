/** The codes of the errors only the command line reports (core's `ERR_OTP_*` codes are used as they are). */
export const cliErrorCodes = {
  ERR_CLI_NO_CONFIG: 'No configuration: pass --config PATH, add otpkit.config.js or otpkit.config.mjs, or set DATABASE_URL',
  ERR_CLI_UNKNOWN_USER: 'No such user',
  ERR_CLI_TOKEN_REJECTED: 'The token was not accepted',
  ERR_CLI_THROTTLED: 'Too many failed attempts; try again later',
  ERR_CLI_NOT_SENT: 'No token was sent',
  ERR_CLI_SECRET_PROBLEMS: 'Some stored secrets cannot be used with the configured keys',
  ERR_CLI_UNKNOWN_BROWSER: 'The user has no remembered browser with that id',
} as const;

/** One of the command line's own error codes. */
export type CliErrorCode = keyof typeof cliErrorCodes;

/** An error a command reports on stderr with exit code 1; the message is safe to print. */
export class CliError extends Error {
  /** The stable machine-readable code. */
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string = cliErrorCodes[code]) {
    super(message);
    this.code = code;
    this.name = 'CliError';
  }
}

import { errorCodes, isOtpError } from '@otpkit/core';

/** What the command line prints for a failure: a stable code and one safe line. */
export interface ErrorLine {
  readonly code: string;
  readonly message: string;
}

/** The first line of an error's message (of anything thrown). */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** The driver's own reason for a database failure (`ECONNREFUSED`, `no such table: users`), one line. */
function driverReason(error: unknown): string {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    // knex prefixes driver messages with the SQL (and its bindings): keep only the driver's part.
    const reason = isOtpError(current) ? '' : current.message.split(' - ').at(-1)!.split('\n')[0]!.trim().slice(0, 200);
    const prefix = typeof code === 'string' && !code.startsWith('ERR_OTP_') && !reason.includes(code) ? code : '';
    const line = [prefix, reason].filter((part) => part !== '').join(': ');
    if (line !== '') return line;
  }
  return '';
}

/**
 * Maps an error to its line: CLI and otpkit errors keep their code and message; a storage failure
 * or an error from the database driver says what the driver reported, without SQL or values.
 */
export function describeError(error: unknown): ErrorLine {
  // By code as well as class (isOtpError): a configuration file may load its own copy of @otpkit/core.
  const otpError = isOtpError(error);
  if (otpError && error.code !== 'ERR_OTP_STORAGE') return { code: error.code, message: error.message };
  const reason = driverReason(otpError ? error.cause : error);
  const message = errorCodes.ERR_OTP_STORAGE;
  return { code: 'ERR_OTP_STORAGE', message: reason === '' ? message : `${message}: ${reason}` };
}

import { errorCodes, isOtpError } from '@otpkit/core';

/** What the command line prints for a failure: a stable code and one safe line. */
export interface ErrorLine {
  readonly code: string;
  readonly message: string;
}

/** knex's message for a driver it cannot load: `Knex: run\n$ npm install mysql2 --save\n<the reason>\n…`. */
const DRIVER_NOT_LOADED = /^Knex: run\n\$ npm install (\S+)[^\n]*\n([^\n]*)/;

/**
 * What a message says, in one line: its first line, except for knex's message for a driver it
 * cannot load, which keeps its fix (`npm install mysql2`) and its reason (`Cannot find module 'mysql2'`).
 */
function messageLine(message: string): string {
  const driver = DRIVER_NOT_LOADED.exec(message);
  if (driver !== null) return `the database driver ${driver[1]} could not be loaded (${driver[2]!.trim()}): install it in the app with npm install ${driver[1]}`;
  return message.split('\n')[0]!;
}

/** An error's message in one line (of anything thrown): see {@link messageLine}. */
export function oneLine(error: unknown): string {
  return messageLine(error instanceof Error ? error.message : String(error));
}

/** The driver's own reason for a database failure (`ECONNREFUSED`, `no such table: users`), one line. */
function driverReason(error: unknown): string {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    // knex prefixes driver messages with the SQL (and its bindings): keep only the driver's part.
    const reason = isOtpError(current) ? '' : messageLine(current.message.split(' - ').at(-1)!).trim().slice(0, 200);
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

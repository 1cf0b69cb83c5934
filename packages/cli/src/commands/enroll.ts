import { InvalidArgumentError, type Command } from 'commander';
import { enrol, printEnrolment } from '../enrolment.js';
import type { RunCommand } from '../run-command.js';

/** Keys that would reach an object's prototype rather than a field. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Adds one `--field` to the ones before: `key=value` gives the string `value`, `key:=json` a JSON
 * value (`digits:=8`, `add:=true`).
 */
function field(text: string, fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(:?=)(.*)$/s.exec(text);
  if (match === null || RESERVED.has(match[1]!)) throw new InvalidArgumentError('key=value (a string) or key:=json (a number, true, false, …)');
  const [, key, operator, raw] = match as unknown as [string, string, string, string];
  if (key in fields) throw new InvalidArgumentError(`${key} is given twice`);
  let value: unknown = raw;
  if (operator === ':=') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InvalidArgumentError(`the value of ${key} is not JSON (give key=value for a string)`);
    }
  }
  return { ...fields, [key]: value };
}

/**
 * `otpkit enroll <type> <username> [--name NAME] [--field key=value]…`: enrols a device of any
 * configured plugin and prints what its plugin shows once.
 */
export function registerEnroll(program: Command, run: RunCommand): void {
  program
    .command('enroll')
    .description('enrol a device of a configured type for a user and print what it shows once: a QR code and key, backup codes, where the first token went')
    .argument('<type>', 'the device type, as in persistent ids (otpkit migrate lists them)')
    .argument('<username>', "the user's username")
    .option('--name <name>', "the device name (default: the plugin's)")
    .option('--field <key=value>', "a field of the plugin's enrolment input, repeatable; key:=json for a number or a boolean (--field digits:=8)", field, {})
    .action((type: string, username: string, options: { name?: string; field: Record<string, unknown> }, command: Command) =>
      run(
        command,
        async (session) => printEnrolment(session, await enrol(session, type, username, { ...options.field, ...(options.name === undefined ? {} : { name: options.name }) })),
        { storesSecrets: true },
      ),
    );
}

import type { Command } from 'commander';
import { enrol, printEnrolment } from '../enrolment.js';
import type { RunCommand } from '../run-command.js';
import { confirmDevice } from './confirm.js';

/**
 * `otpkit totp add <username> [--name]` and `otpkit totp confirm <persistent-id> <token>`: the
 * authenticator-app enrolment of earlier versions, as `otpkit enroll totp` and `otpkit confirm`.
 */
export function registerTotp(program: Command, run: RunCommand): void {
  const group = program.command('totp').description('enrol an authenticator app (TOTP device): otpkit enroll totp and otpkit confirm');
  group
    .command('add')
    .description('enrol an unconfirmed TOTP device and print a QR code, its otpauth URI and the key (otpkit enroll totp)')
    .argument('<username>', "the user's username")
    .option('--name <name>', "the device name (default: the plugin's)")
    .action((username: string, options: { name?: string }, command: Command) =>
      run(command, async (session) => printEnrolment(session, await enrol(session, 'totp', username, options)), { storesSecrets: true }),
    );
  group
    .command('confirm')
    .description('confirm a new TOTP device with a token from the app, so it counts for login (otpkit confirm)')
    .argument('<persistent-id>', 'the device, as totp/<id>')
    .argument('<token>', 'a token from the app')
    .action((persistentId: string, input: string, _options, command: Command) => run(command, (session) => confirmDevice(session, persistentId, input, 'totp')));
}

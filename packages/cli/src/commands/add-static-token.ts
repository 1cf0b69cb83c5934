import type { Command } from 'commander';
import { enrol, printEnrolment } from '../enrolment.js';
import type { RunCommand } from '../run-command.js';

/**
 * `otpkit addstatictoken [-t TOKEN] <username>`: django-otp's command of the same name, which
 * prints only the code (`otpkit enroll static <username> --field add=TOKEN`).
 */
export function registerAddStaticToken(program: Command, run: RunCommand): void {
  program
    .command('addstatictoken')
    .description('give a user a backup code, creating their "Backup Code" device if needed, and print it (otpkit enroll static --field add=TOKEN)')
    .argument('<username>', "the user's username")
    .option('-t, --token <token>', 'the code to add (default: a random one)')
    .action((username: string, options: { token?: string }, command: Command) =>
      run(command, async (session) => printEnrolment(session, await enrol(session, 'static', username, { add: options.token ?? true }), false), { storesSecrets: true }),
    );
}

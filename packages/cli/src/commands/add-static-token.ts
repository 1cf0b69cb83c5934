import type { Command } from 'commander';
import { addStaticToken } from '@otpkit/static';
import type { RunCommand } from '../run-command.js';

/** `otpkit addstatictoken [-t TOKEN] <username>`: django-otp's command of the same name. */
export function registerAddStaticToken(program: Command, run: RunCommand): void {
  program
    .command('addstatictoken')
    .description('give a user a backup code, creating their "Backup Code" device if needed, and print it')
    .argument('<username>', "the user's username")
    .option('-t, --token <token>', 'the code to add (default: a random one)')
    .action((username: string, options: { token?: string }, command: Command) =>
      run(command, async (session) => {
        const user = await session.user(username);
        const token = await addStaticToken(session.otp, user.id, options.token, session.meta);
        session.print({ username, token }, token);
      }, { storesSecrets: true }),
    );
}

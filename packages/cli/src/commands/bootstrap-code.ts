import { ConfigurationError } from '@otpkit/core';
import type { Command } from 'commander';
import type { RunCommand } from '../run-command.js';

/**
 * `otpkit bootstrap-code <username>`: issues one single-use code for a user who has no way left to
 * sign in (`otp.issueBootstrapCode`: a backup code, with `@otpkit/static`) and prints only the
 * code, once. Reported as `backupCodeAdded`.
 */
export function registerBootstrapCode(program: Command, run: RunCommand): void {
  program
    .command('bootstrap-code')
    .description('issue one single-use code for a user to sign in with once (a backup code), and print it')
    .argument('<username>', "the user's username")
    .action((username: string, _options: unknown, command: Command) =>
      run(
        command,
        async (session) => {
          const user = await session.user(username);
          const code = await session.otp.issueBootstrapCode(user.id, session.meta);
          if (code === null) throw new ConfigurationError('no configured device plugin issues single-use codes: configure backup codes (@otpkit/static)');
          session.print({ code }, code);
        },
        { storesSecrets: true },
      ),
    );
}

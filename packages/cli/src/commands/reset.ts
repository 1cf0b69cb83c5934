import type { Command } from 'commander';
import type { RunCommand } from '../run-command.js';

/**
 * `otpkit reset <username>`: an administrator's reset of a user's throttles (the guessing budget
 * and every device's failure count), so the user may try again at once. Reported as `throttleReset`.
 */
export function registerReset(program: Command, run: RunCommand): void {
  program
    .command('reset')
    .description("reset a user's throttles (the guessing budget and every device's failures), so they may try again at once")
    .argument('<username>', "the user's username")
    .action((username: string, _options: unknown, command: Command) =>
      run(command, async (session) => {
        const user = await session.user(username);
        const cleared = await session.otp.resetThrottle(user.id, session.meta);
        session.print({ cleared }, cleared ? `Reset the throttles of ${username}: they may try again now.` : `${username} was not throttled; nothing to reset.`);
      }),
    );
}

import type { Command } from 'commander';
import { summarize } from '../device-summary.js';
import { refusal } from '../outcome-error.js';
import type { RunCommand } from '../run-command.js';

/** `otpkit verify <username> <token>`: checks a token against the user's confirmed devices. */
export function registerVerify(program: Command, run: RunCommand): void {
  program
    .command('verify')
    .description("check a token against the user's confirmed devices, as a login does (the token is spent, a miss is counted)")
    .argument('<username>', "the user's username")
    .argument('<token>', 'the token, e.g. "123 456"')
    .action((username: string, input: string, _options, command: Command) =>
      run(command, async (session) => {
        const user = await session.user(username);
        const outcome = await session.otp.match(user.id, input, session.meta);
        if (outcome.ok) {
          session.print({ verified: true, device: summarize(outcome.device) }, `Verified: ${outcome.device.persistentId} (${outcome.device.name}).`);
          return;
        }
        throw refusal(outcome, session.otp.clock());
      }),
    );
}

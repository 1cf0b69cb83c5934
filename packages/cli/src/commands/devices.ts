import type { Command } from 'commander';
import { deviceLines, summarize } from '../device-summary.js';
import type { RunCommand } from '../run-command.js';

/** `otpkit devices <username>`: lists a user's devices, confirmed or not, with their purpose. */
export function registerDevices(program: Command, run: RunCommand): void {
  program
    .command('devices')
    .description("list a user's devices, confirmed or not, with their purpose")
    .argument('<username>', "the user's username")
    .action((username: string, _options, command: Command) =>
      run(command, async (session) => {
        const user = await session.user(username);
        const devices = (await session.otp.devicesForUser(user.id)).map(summarize);
        session.print(devices, devices.length === 0 ? `${username} has no devices.` : deviceLines(devices));
      }),
    );
}

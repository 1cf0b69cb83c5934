import type { Command } from 'commander';
import { summarize } from '../device-summary.js';
import type { RunCommand } from '../run-command.js';

/** `otpkit remove <persistent-id>`: deletes a device (and the rows its plugin keeps with it). */
export function registerRemove(program: Command, run: RunCommand): void {
  program
    .command('remove')
    .description('delete a device, e.g. otpkit remove totp/3')
    .argument('<persistent-id>', 'the device, as <type>/<id> (see otpkit devices)')
    .action((persistentId: string, _options, command: Command) =>
      run(command, async (session) => {
        const device = await session.device(persistentId);
        await session.otp.removeDevice(device.userId, device.persistentId, session.meta);
        session.print({ removed: summarize(device) }, `Removed ${device.persistentId} (${device.name}).`);
      }),
    );
}

import type { Command } from 'commander';
import type { RunCommand } from '../run-command.js';

/**
 * `otpkit prefer <username> <device|none>`: sets the device the user is asked for first (one of
 * their confirmed second-factor devices, by persistent id), or clears the preference with `none`.
 * Reported as `preferredDeviceChanged` when it changed.
 */
export function registerPrefer(program: Command, run: RunCommand): void {
  program
    .command('prefer')
    .description('set the device a user is asked for first (a confirmed second-factor device, e.g. totp/3), or none')
    .argument('<username>', "the user's username")
    .argument('<device>', "the device's persistent id (otpkit devices <username>), or none to clear the preference")
    .action((username: string, device: string, _options: unknown, command: Command) =>
      run(command, async (session) => {
        const user = await session.user(username);
        const preferredDevice = device === 'none' ? null : device;
        await session.otp.userSettings.setPreferredDevice(user.id, preferredDevice, session.meta);
        session.print({ preferredDevice }, preferredDevice === null ? `${username} has no preferred device.` : `${username} is asked for ${preferredDevice} first.`);
      }),
    );
}

import { DeviceNotFoundError } from '@otpkit/core';
import type { Command } from 'commander';
import type { CommandSession } from '../command-session.js';
import { refusal } from '../outcome-error.js';
import type { RunCommand } from '../run-command.js';

/**
 * Confirms the device `persistentId` names with a token from it (`Otp.confirmDevice`), and says so.
 * @throws DeviceNotFoundError for an unknown device, or one of another type than `type` when given; CliError for a refused token.
 */
export async function confirmDevice(session: CommandSession, persistentId: string, input: string, type?: string): Promise<void> {
  const device = await session.device(persistentId);
  if (type !== undefined && device.deviceType !== type) throw new DeviceNotFoundError();
  const outcome = await session.otp.confirmDevice(device.userId, device.persistentId, input, session.meta);
  if (!outcome.ok) throw refusal(outcome, session.otp.clock());
  session.print({ confirmed: true, persistentId: device.persistentId }, `Confirmed ${device.persistentId} (${device.name}).`);
}

/** `otpkit confirm <persistent-id> <token>`: finishes an enrolment with a token from the new device. */
export function registerConfirm(program: Command, run: RunCommand): void {
  program
    .command('confirm')
    .description('confirm a newly enrolled device with a token from it, so it counts for login')
    .argument('<persistent-id>', 'the device, as <type>/<id> (otpkit enroll prints it)')
    .argument('<token>', 'a token from the device')
    .action((persistentId: string, input: string, _options, command: Command) =>
      run(command, (session) => confirmDevice(session, persistentId, input)),
    );
}

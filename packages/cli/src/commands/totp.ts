import { Command } from 'commander';
import { DeviceNotFoundError, groupForDisplay } from '@otpkit/core';
import type { TOTPDevice } from '@otpkit/totp';
import { refusal } from '../outcome-error.js';
import type { RunCommand } from '../run-command.js';

/**
 * `otpkit totp add <username> [--name]` (an unconfirmed device, its Key-URI and a QR code) and
 * `otpkit totp confirm <persistent-id> <token>` (finishes enrolment with a token from the app).
 */
export function registerTotp(program: Command, run: RunCommand): void {
  const group = program.command('totp').description('enrol an authenticator app (TOTP device)');
  group
    .command('add')
    .description('create an unconfirmed TOTP device and print its otpauth URI, a QR code and the key')
    .argument('<username>', "the user's username")
    .option('--name <name>', 'the device name (default: Authenticator)')
    .action((username: string, options: { name?: string }, command: Command) =>
      run(
        command,
        async (session) => {
          const user = await session.user(username);
          const device = await session.otp.createDevice<TOTPDevice>('totp', user.id, { name: options.name, confirmed: false }, session.meta);
          const uri = await device.keyUri();
          const key = groupForDisplay(device.revealKey());
          const confirm = `otpkit totp confirm ${device.persistentId} <token>`;
          session.print({ persistentId: device.persistentId, name: device.name, confirmed: false, uri, key }, [
            `Created ${device.persistentId} (${device.name}), unconfirmed. Scan the code or type the key into an authenticator app:`,
            (await device.qrCode('terminal')).trimEnd(),
            uri,
            `Key: ${key}`,
            `Then confirm it with a code from the app: ${confirm}`,
          ]);
        },
        { storesSecrets: true },
      ),
    );
  group
    .command('confirm')
    .description('confirm a new TOTP device with a token from the app, so it counts for login')
    .argument('<persistent-id>', 'the device, as totp/<id>')
    .argument('<token>', 'a token from the app')
    .action((persistentId: string, input: string, _options, command: Command) =>
      run(command, async (session) => {
        const token = session.token(input);
        const device = await session.device(persistentId);
        if (!(device instanceof session.otp.model('totp'))) throw new DeviceNotFoundError();
        const outcome = await session.otp.confirmDevice(device.userId, device.persistentId, token, session.meta);
        if (!outcome.ok) throw refusal(outcome);
        session.print({ confirmed: true, persistentId: device.persistentId }, `Confirmed ${device.persistentId} (${device.name}).`);
      }),
    );
}

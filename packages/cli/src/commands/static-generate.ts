import { Command, InvalidArgumentError } from 'commander';
import { storedUserId } from '@otpkit/core';
import type { StaticDevice } from '@otpkit/static';
import type { RunCommand } from '../run-command.js';

function count(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 100) throw new InvalidArgumentError('a number from 1 to 100');
  return value;
}

/** `otpkit static generate <username> [-n 10]`: a fresh set of backup codes, printed once. */
export function registerStaticGenerate(program: Command, run: RunCommand): void {
  program
    .command('static')
    .description('manage backup codes (static devices)')
    .command('generate')
    .description("replace the user's backup codes with new ones and print them (creates the \"Backup Code\" device if needed)")
    .argument('<username>', "the user's username")
    .option('-n, --count <n>', 'how many codes (default: the plugin\'s count, 10 unless configured)', count)
    .action((username: string, options: { count?: number }, command: Command) =>
      run(
        command,
        async (session) => {
          const user = await session.user(username);
          const model = session.otp.model<StaticDevice>('static');
          const devices = await session.otp.devicesForUser(user.id);
          const device =
            (devices.find((candidate) => candidate instanceof model) as StaticDevice | undefined) ??
            (await session.otp.createDevice<StaticDevice>('static', storedUserId(user.id), { confirmed: true }, session.meta));
          const codes = await device.regenerateTokens(options.count, session.meta);
          session.print({ persistentId: device.persistentId, codes }, codes);
        },
        { storesSecrets: true },
      ),
    );
}

import { Command, InvalidArgumentError } from 'commander';
import { storedUserId } from '@otpkit/core';
import { StaticToken, type StaticDevice } from '@otpkit/static';
import type { RunCommand } from '../run-command.js';

function count(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 100) throw new InvalidArgumentError('a number from 1 to 100');
  return value;
}

/** Replaces the codes of the user's backup-code device (created if needed) with `n` new ones. */
async function generate(device: StaticDevice, n: number | undefined): Promise<string[]> {
  if (n === undefined) return device.regenerateTokens();
  const model = device.constructor as typeof StaticDevice;
  await model.knex().transaction(async (trx) => {
    await StaticToken.query(trx).delete().where('device_id', device.id);
  });
  const codes: string[] = [];
  while (codes.length < n) codes.push(await device.addToken());
  return codes;
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
            (await session.otp.createDevice<StaticDevice>('static', storedUserId(user.id), { confirmed: true }));
          const codes = await generate(device, options.count);
          session.print({ persistentId: device.persistentId, codes }, codes);
        },
        { storesSecrets: true },
      ),
    );
}

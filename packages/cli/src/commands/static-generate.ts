import { Command, InvalidArgumentError } from 'commander';
import { enrol, printEnrolment } from '../enrolment.js';
import type { RunCommand } from '../run-command.js';

function count(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 100) throw new InvalidArgumentError('a number from 1 to 100');
  return value;
}

/** `otpkit static generate <username> [-n 10]`: a fresh set of backup codes, printed once, one a line (`otpkit enroll static`). */
export function registerStaticGenerate(program: Command, run: RunCommand): void {
  program
    .command('static')
    .description('manage backup codes (static devices)')
    .command('generate')
    .description("replace the user's backup codes with new ones and print them, one a line (otpkit enroll static; creates the \"Backup Code\" device if needed)")
    .argument('<username>', "the user's username")
    .option('-n, --count <n>', "how many codes (default: the plugin's count, 10 unless configured)", count)
    .action((username: string, options: { count?: number }, command: Command) =>
      run(command, async (session) => printEnrolment(session, await enrol(session, 'static', username, options), false), { storesSecrets: true }),
    );
}

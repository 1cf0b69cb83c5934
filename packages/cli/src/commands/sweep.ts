import type { Command } from 'commander';
import type { RunCommand } from '../run-command.js';

/** `otpkit sweep`: deletes unconfirmed devices whose enrolment expired; run it from cron. */
export function registerSweep(program: Command, run: RunCommand): void {
  program
    .command('sweep')
    .description('delete unconfirmed devices whose enrolment expired (enrolmentTimeout); run it from cron')
    .action((_options, command: Command) =>
      run(command, async (session) => {
        const deleted = await session.otp.sweepExpiredEnrolments();
        session.print({ deleted }, `Deleted ${deleted} expired enrolment(s).`);
      }),
    );
}

import type { Command } from 'commander';
import type { RunCommand } from '../run-command.js';

/**
 * `otpkit sweep`: deletes unconfirmed devices whose enrolment expired and, when the audit table is
 * on, audit rows older than its retention; run it from cron.
 */
export function registerSweep(program: Command, run: RunCommand): void {
  program
    .command('sweep')
    .description('delete unconfirmed devices whose enrolment expired (enrolmentTimeout) and audit events older than audit.retentionDays; run it from cron')
    .action((_options, command: Command) =>
      run(command, async (session) => {
        const deleted = await session.otp.sweepExpiredEnrolments(session.meta);
        const auditEvents = await session.otp.sweepAuditEvents();
        session.print({ deleted, auditEvents }, `Deleted ${deleted} expired enrolment(s) and ${auditEvents} expired audit event(s).`);
      }),
    );
}

import { InvalidArgumentError, type Command } from 'commander';
import { ConfigurationError, type AuditEvent, type Otp } from '@otpkit/core';
import type { RunCommand } from '../run-command.js';

/** The fields every event has; the rest are the event type's own, shown as `name=value`. */
const COMMON = new Set(['id', 'type', 'userId', 'deviceId', 'at', 'via', 'ip', 'userAgent', 'actor']);

/** A whole-number option from 1 to `max`. */
function wholeNumber(max: number): (value: string) => number {
  return (value) => {
    if (!/^[1-9][0-9]{0,14}$/.test(value) || Number(value) > max) throw new InvalidArgumentError(`a whole number from 1 to ${max}`);
    return Number(value);
  };
}

function eventLine(event: AuditEvent): string {
  const details = Object.entries(event)
    .filter(([name]) => !COMMON.has(name))
    .map(([name, value]) => `  ${name}=${value}`)
    .join('');
  const by = event.actor === null ? '' : ` by ${event.actor}`;
  const from = event.ip === null ? '' : ` from ${event.ip}`;
  const agent = event.userAgent === null ? '' : `  ${event.userAgent}`;
  return `${event.id}  ${new Date(event.at).toISOString()}  ${event.type}  ${event.deviceId ?? '-'}  via ${event.via}${by}${from}${details}${agent}`;
}

/** The user's events; without the audit table, the error names both ways to turn it on. */
async function auditEvents(otp: Otp, userId: string | number, limit: number | undefined, before: number | undefined): Promise<AuditEvent[]> {
  try {
    return await otp.auditEvents(userId, { limit, before });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new ConfigurationError('the audit table is off: set audit: true in the configuration file, or OTPKIT_AUDIT_DAYS with DATABASE_URL', { cause: error });
  }
}

/**
 * `otpkit audit <username> [--limit N] [--before ID]`: a user's audit events, newest first (needs
 * the audit table: `createOtp({ audit: true })`, or `OTPKIT_AUDIT_DAYS` with `DATABASE_URL`).
 */
export function registerAudit(program: Command, run: RunCommand): void {
  program
    .command('audit')
    .description("list a user's audit events, newest first (needs createOtp({ audit: true }), or OTPKIT_AUDIT_DAYS with DATABASE_URL)")
    .argument('<username>', "the user's username")
    .option('-n, --limit <n>', 'how many events (default 50, at most 1000)', wholeNumber(1000))
    .option('--before <id>', 'only events older than the one with this id (to read the next page)', wholeNumber(Number.MAX_SAFE_INTEGER))
    .action((username: string, options: { limit?: number; before?: number }, command: Command) =>
      run(command, async (session) => {
        const user = await session.user(username);
        const events = await auditEvents(session.otp, user.id, options.limit, options.before);
        session.print(events, events.length === 0 ? `${username} has no audit events.` : events.map(eventLine));
      }),
    );
}

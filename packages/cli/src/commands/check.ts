import type { Command } from 'commander';
import type { SecretReport } from '@otpkit/core';
import { SecretProblemsError } from '../cli-error.js';
import type { RunCommand } from '../run-command.js';

/** One line of the report: where the value is, whose it is, and what is wrong with it. */
function reportLine({ table, column, id, userId, problem }: SecretReport): string {
  return `${table}.${column} row ${id} (user ${JSON.stringify(userId)}): ${problem}`;
}

/**
 * `otpkit check`: lists the stored secrets the configured keys cannot use (unknown key, failing to
 * authenticate, plaintext, sealed by 0.1, unkeyed digest) and exits 1 when there are any.
 */
export function registerCheck(program: Command, run: RunCommand): void {
  program
    .command('check')
    .description('report stored device secrets the configured secret keys cannot use; exit 1 when there are any')
    .action((_options, command: Command) =>
      run(command, async (session) => {
        const problems = await session.otp.checkSecrets();
        session.print({ problems }, problems.length === 0 ? 'Every stored secret opens with the configured keys.' : problems.map(reportLine));
        if (problems.length > 0) throw new SecretProblemsError(`${problems.length} stored secret(s) cannot be used; run rotate-secrets for plaintext, legacy_binding and unkeyed_digest`);
      }),
    );
}

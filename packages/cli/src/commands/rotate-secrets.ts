import type { Command } from 'commander';
import type { RunCommand } from '../run-command.js';

/** `otpkit rotate-secrets`: re-seals every stored secret under the newest key and its row (the migration path from 0.1). */
export function registerRotateSecrets(program: Command, run: RunCommand): void {
  program
    .command('rotate-secrets')
    .description('re-seal every stored device secret under the newest secret key, bound to its row (seals plaintext and 0.1 values, keys unkeyed backup-code digests)')
    .action((_options, command: Command) =>
      run(command, async (session) => {
        const rewritten = await session.otp.rotateSecrets(session.meta);
        const key = session.otp.secretBox.newestKeyId;
        const under = key === null ? 'in plaintext (no secret keys are configured)' : `under key ${key}`;
        session.print({ rewritten, keyId: key }, `Re-sealed ${rewritten} stored value(s) ${under}.`);
      }, { storesSecrets: true }),
    );
}

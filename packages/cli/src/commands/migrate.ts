import type { Command } from 'commander';
import type { RunCommand } from '../run-command.js';

/** `otpkit migrate`: creates or updates the tables of core and of the configured plugins. */
export function registerMigrate(program: Command, run: RunCommand): void {
  program
    .command('migrate')
    .description("create or update the tables of otpkit and of the configured device plugins (creates a missing SQLite file)")
    .action((_options, command: Command) =>
      run(
        command,
        async (session) => {
          await session.otp.migrate();
          const types = session.otp.plugins.map((plugin) => plugin.type);
          session.print({ migrated: true, devices: types }, `Migrated otpkit (devices: ${types.join(', ')}).`);
        },
        { create: true, storesSecrets: true },
      ),
    );
}

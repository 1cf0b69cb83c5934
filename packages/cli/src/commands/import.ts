import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigurationError } from '@otpkit/core';
import { readDjangoOtpDevices } from '../import/django-otp-devices.js';
import { importEntries } from '../import/import-entries.js';
import { importReport, reportLines } from '../import/import-report.js';
import { readKeyUriFile } from '../import/key-uri-file.js';
import { openSourceDatabase } from '../import/source-database.js';
import type { SourceEntry } from '../import/source-entry.js';
import { fileUserMapping, USER_MAPPINGS, userMapping, type UserMapping } from '../import/user-mapping.js';
import type { CommandSession } from '../command-session.js';
import type { RunCommand } from '../run-command.js';

/** Imports `entries` and prints the report (one JSON object with `--json`). */
async function importAndReport(session: CommandSession, entries: readonly SourceEntry[], mapUser: UserMapping, dryRun: boolean): Promise<void> {
  const report = importReport(await importEntries(session.otp, entries, mapUser, dryRun, session.meta), dryRun);
  session.print(report, reportLines(report));
}

/**
 * `otpkit import django-otp --from URL [--map-users HOW] [--dry-run]` and `otpkit import uri
 * --file PATH [--users username|id] [--dry-run]`: devices made elsewhere, with their state, into
 * the configured plugins; a second run changes nothing; a report of what was imported and skipped.
 */
export function registerImport(program: Command, run: RunCommand): void {
  const group = program.command('import').description("import devices from django-otp's tables or a file of otpauth:// URIs");
  group
    .command('django-otp')
    .description("import django-otp's and django-two-factor-auth's devices, with their state, from their database")
    .requiredOption('--from <url>', 'the Django database: postgres://, mysql:// or a SQLite file path')
    .option('--map-users <how>', `how Django users map to otpkit users: ${USER_MAPPINGS}`, 'id')
    .option('--dry-run', 'check and report, write nothing')
    .action((options: { from: string; mapUsers: string; dryRun?: boolean }, command: Command) =>
      run(
        command,
        async (session) => {
          const source = openSourceDatabase(options.from, session.cwd);
          try {
            const entries = await readDjangoOtpDevices(source);
            if (entries === null) throw new ConfigurationError('--from: the database has no django-otp tables (otp_totp_totpdevice, otp_hotp_hotpdevice, ...)');
            const mapUser = await userMapping(options.mapUsers, session.otp, source, session.cwd);
            await importAndReport(session, entries, mapUser, options.dryRun === true);
          } finally {
            await source.destroy();
          }
        },
        { storesSecrets: true },
      ),
    );
  group
    .command('uri')
    .description('import TOTP and HOTP devices from a file of "<user>,<otpauth://...>" lines')
    .requiredOption('--file <path>', 'the file of Key-URIs')
    .option('--users <column>', 'what the user column holds: username or id', 'username')
    .option('--dry-run', 'check and report, write nothing')
    .action((options: { file: string; users: string; dryRun?: boolean }, command: Command) =>
      run(
        command,
        async (session) => {
          const mapUser = fileUserMapping(options.users, session.otp);
          await importAndReport(session, readKeyUriFile(resolve(session.cwd, options.file)), mapUser, options.dryRun === true);
        },
        { storesSecrets: true },
      ),
    );
}

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { processIo, type CliIo } from './cli-io.js';
import { registerAddStaticToken } from './commands/add-static-token.js';
import { registerAudit } from './commands/audit.js';
import { registerBootstrapCode } from './commands/bootstrap-code.js';
import { registerBrowsers } from './commands/browsers.js';
import { registerChallenge } from './commands/challenge.js';
import { registerCheck } from './commands/check.js';
import { registerConfirm } from './commands/confirm.js';
import { registerDevices } from './commands/devices.js';
import { registerEnroll } from './commands/enroll.js';
import { registerImport } from './commands/import.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPrefer } from './commands/prefer.js';
import { registerRemove } from './commands/remove.js';
import { registerReset } from './commands/reset.js';
import { registerRotateSecrets } from './commands/rotate-secrets.js';
import { registerStaticGenerate } from './commands/static-generate.js';
import { registerSweep } from './commands/sweep.js';
import { registerTotp } from './commands/totp.js';
import { registerVerify } from './commands/verify.js';
import { describeError } from './describe-error.js';
import { commandRunner } from './run-command.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function buildProgram(io: CliIo): Command {
  const program = new Command('otpkit')
    .description('Manage otpkit two-factor devices from the command line.')
    .version(version)
    .option('-c, --config <path>', 'configuration file (default: ./otpkit.config.{ts,mts,cts,js,mjs,cjs}, else DATABASE_URL)')
    .option('--schema <names>', "PostgreSQL schema search path in DATABASE_URL mode, comma-separated (default: OTPKIT_DATABASE_SCHEMA, else the URL's ?schema=)")
    .option('--json', 'print machine-readable JSON')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run otpkit --help for usage)')
    .addHelpText(
      'after',
      '\nConfiguration: --config PATH, else ./otpkit.config.ts (or .mts, .cts, .js, .mjs, .cjs; TypeScript runs as is,\n' +
        "and may import the app's own modules), whose default export is the createOtp options, an otpkit instance, or a\n" +
        'function returning one; else DATABASE_URL (postgres://, mysql://, or a SQLite file path) with secret keys from\n' +
        'OTP_KEY_1, OTP_KEY_2, ... and the device plugin packages installed in node_modules whose tables are in the\n' +
        'database (plugins that need options take a configuration file).',
    );
  const run = commandRunner(io);
  const commands = [
    registerMigrate,
    registerDevices,
    registerEnroll,
    registerConfirm,
    registerChallenge,
    registerVerify,
    registerRemove,
    registerBrowsers,
    registerReset,
    registerPrefer,
    registerBootstrapCode,
    registerAudit,
    registerRotateSecrets,
    registerSweep,
    registerCheck,
    registerAddStaticToken,
    registerStaticGenerate,
    registerTotp,
    registerImport,
  ];
  for (const register of commands) {
    register(program, run);
  }
  return program;
}

/**
 * Runs the `otpkit` command line on `argv` (without the node and script paths) and resolves to the
 * process exit code: 0 on success, 1 when the command failed, 2 for a usage error. Every failure
 * is one line on stderr (one JSON object with `--json`).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const { code, message } = describeError(error);
    const json = argv.includes('--json');
    io.stderr(json ? `${JSON.stringify({ error: { code, message } })}\n` : `otpkit: ${message} (${code})\n`);
    return 1;
  }
}

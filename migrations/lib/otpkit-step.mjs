/**
 * One otpkit schema step as a knex migration, for applications that keep all their migrations in
 * one knex folder. Each file of the folder names one step of core or of a plugin; the step's code
 * lives in the installed package, so upgrading a package and adding its new steps' files is all.
 */
import { createOtp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { ConsoleProvider, sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';

/** Every plugin, configured only as far as reading its migrations needs (nothing is sent). */
function allPlugins() {
  return [totp(), hotp(), staticTokens(), email({ transport: 'smtp://127.0.0.1:25', from: 'otpkit@localhost' }), sms({ provider: new ConsoleProvider() })];
}

async function find(knex, recordedName) {
  const source = createOtp({ knex, devices: allPlugins(), logger: { warn() {} } }).migrationSource();
  for (const entry of await source.getMigrations([])) {
    if (source.getMigrationName(entry) === recordedName) return source.getMigration(entry);
  }
  throw new Error(`otpkit has no migration ${recordedName}`);
}

/**
 * The knex migration (`up`, `down`) of otpkit's step `<owner>/<name>`, e.g. `totp/0001_create_device`.
 * @param {string} recordedName
 */
export function otpkitStep(recordedName) {
  return {
    up: async (knex) => (await find(knex, recordedName)).up(knex),
    down: async (knex) => (await find(knex, recordedName)).down(knex),
  };
}

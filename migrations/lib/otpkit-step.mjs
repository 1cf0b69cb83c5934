/**
 * One otpkit schema step as a knex migration, for applications that keep all their migrations in
 * one knex folder. Each file of the folder names one step of core or of a plugin; the step's code
 * lives in the installed package, so upgrading a package and adding its new steps' files is all.
 */
import { schemaMigrationSource } from '@otpkit/core';

/**
 * Each plugin package, and how to make its plugin only as far as reading its migrations needs
 * (nothing is sent, no relying party is contacted).
 */
const PLUGINS = [
  ['@otpkit/totp', (module) => module.totp()],
  ['@otpkit/hotp', (module) => module.hotp()],
  ['@otpkit/static', (module) => module.staticTokens()],
  ['@otpkit/email', (module) => module.email({ transport: 'smtp://127.0.0.1:25', from: 'otpkit@localhost' })],
  ['@otpkit/sms', (module) => module.sms({ provider: new module.ConsoleProvider() })],
  ['@otpkit/webauthn', (module) => module.webauthn({ rpName: 'otpkit', rpID: 'localhost', origins: 'http://localhost' })],
];

/** The plugins whose packages are installed: the folder keeps only the files of those in use. */
async function installedPlugins() {
  const plugins = [];
  for (const [name, make] of PLUGINS) {
    let module;
    try {
      module = await import(name);
    } catch (error) {
      if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(`'${name}'`)) continue;
      throw error;
    }
    plugins.push(make(module));
  }
  return plugins;
}

async function find(recordedName) {
  const source = schemaMigrationSource(await installedPlugins());
  for (const entry of await source.getMigrations([])) {
    if (source.getMigrationName(entry) === recordedName) return source.getMigration(entry);
  }
  const owner = recordedName.slice(0, recordedName.indexOf('/'));
  throw new Error(`otpkit has no migration ${recordedName}: install @otpkit/${owner}, or drop its files from the folder`);
}

/**
 * The knex migration (`up`, `down`) of otpkit's step `<owner>/<name>`, e.g. `totp/0001_create_device`.
 * @param {string} recordedName
 */
export function otpkitStep(recordedName) {
  return {
    up: async (knex) => (await find(recordedName)).up(knex),
    down: async (knex) => (await find(recordedName)).down(knex),
  };
}

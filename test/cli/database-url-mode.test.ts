import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import knexFactory from 'knex';
import { createOtp } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUsers, databaseUrl, runBin, workDir } from '../../packages/cli/src/test-support/run-bin.js';

const keys = { OTP_KEY_1: 'd'.repeat(64) };
const needOptions =
  'otpkit: left out, they need options: email (@otpkit/email), sms (@otpkit/sms), ' +
  'webauthn (@otpkit/webauthn, or set OTPKIT_WEBAUTHN_RP_NAME, OTPKIT_WEBAUTHN_RP_ID, OTPKIT_WEBAUTHN_ORIGINS); configure them in otpkit.config.js (see otpkit --help)\n';

for (const backend of testBackends()) {
  describe(`otpkit with DATABASE_URL on an app without HOTP on ${backend.name}`, () => {
    let database: TestDatabase;
    const app = workDir('repository');
    const otpkit = (...args: string[]) => runBin(args, { cwd: app.path, env: { DATABASE_URL: databaseUrl(database.config), ...keys } });

    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 2 });
      await createUsers(database.knex);
      await database.knex('users').insert({ username: 'admin' });
      // The app migrated its own plugins: TOTP and backup codes, no HOTP table.
      await createOtp({ knex: database.knex, devices: [totp(), staticTokens()], logger: { warn() {} } }).migrate();
    });
    afterAll(async () => {
      await database?.destroy();
      app.remove();
    });

    it('adds a backup code with addstatictoken admin, using the plugins whose tables exist and saying which on stderr', async () => {
      expect(await database.knex.schema.hasTable('otp_hotp_device')).toBe(false);
      const added = await otpkit('addstatictoken', 'admin');
      expect(added).toEqual({
        code: 0,
        stdout: expect.stringMatching(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\n$/),
        stderr:
          'otpkit: device plugins from node_modules: static (@otpkit/static), totp (@otpkit/totp)\n' +
          'otpkit: left out, their tables are not in the database (otpkit migrate creates them): hotp (@otpkit/hotp)\n' +
          needOptions,
      });
      expect(await otpkit('verify', 'admin', added.stdout.trim(), '--json')).toMatchObject({ code: 0, stdout: expect.stringContaining('"verified":true'), stderr: '' });
      expect(await database.knex.schema.hasTable('otp_hotp_device')).toBe(false);
    });
  });
}

for (const backend of testBackends().filter(({ name }) => name === 'postgres')) {
  describe('otpkit with DATABASE_URL on PostgreSQL tables outside the public schema', () => {
    let database: TestDatabase;
    const app = workDir('repository');
    const url = () => databaseUrl(database.config);
    const otpkit = (args: string[], env: Record<string, string> = {}) => runBin(args, { cwd: app.path, env: { DATABASE_URL: url(), ...keys, ...env } });

    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 2 });
      await database.knex.raw('CREATE SCHEMA auth');
      const inAuth = knexFactory({ ...database.config, searchPath: ['auth'] });
      await createUsers(inAuth).finally(() => inAuth.destroy());
    });
    afterAll(async () => {
      await database?.destroy();
      app.remove();
    });

    /** The names of the tables in a schema, sorted. */
    const tablesIn = async (schema: string) =>
      ((await database.knex('information_schema.tables').where({ table_schema: schema }).orderBy('table_name').pluck('table_name')) as string[]);

    it('migrates into the schema --schema names, and finds the tables there through --schema, OTPKIT_DATABASE_SCHEMA or ?schema=', async () => {
      expect(await otpkit(['migrate', '--schema', 'auth'])).toMatchObject({ code: 0, stdout: 'Migrated otpkit (devices: hotp, static, totp).\n' });
      expect(await tablesIn('public')).toEqual([]);
      expect(await tablesIn('auth')).toEqual(expect.arrayContaining(['users', 'otp_static_device', 'otp_static_token', 'otp_totp_device', 'otp_hotp_device']));
      const added = await otpkit(['addstatictoken', 'alice', '--json'], { OTPKIT_DATABASE_SCHEMA: 'auth' });
      expect(added).toMatchObject({ code: 0, stderr: '' });
      const listed = await otpkit(['devices', 'alice', '--json'], { DATABASE_URL: `${url()}?schema=auth` });
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ type: 'static', name: 'Backup Code' })]);
      expect(await otpkit(['verify', 'alice', JSON.parse(added.stdout).display.codes[0], '--schema', 'auth'])).toMatchObject({ code: 0 });
      expect(await otpkit(['devices', 'alice'])).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('otpkit: DATABASE_URL: no installed device plugin has its tables in this database: run otpkit migrate (ERR_OTP_CONFIGURATION)\n'),
      });
    });

    it('refuses a schema that is not in the database, or not a schema name, before touching anything', async () => {
      expect(await otpkit(['migrate', '--schema', 'nowhere'])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'otpkit: schema "nowhere" is not in the database: create it (CREATE SCHEMA nowhere), or fix --schema, OTPKIT_DATABASE_SCHEMA or ?schema= (ERR_OTP_CONFIGURATION)\n',
      });
      expect(await otpkit(['migrate'], { OTPKIT_DATABASE_SCHEMA: 'auth"; DROP TABLE users; --' })).toEqual({
        code: 1,
        stdout: '',
        stderr: 'otpkit: schema "auth\\"; DROP TABLE users; --" is not a PostgreSQL schema name (letters, digits and _, comma-separated for a search path) (ERR_OTP_CONFIGURATION)\n',
      });
      expect(await tablesIn('nowhere')).toEqual([]);
      expect(await database.knex.withSchema('auth').table('users').count({ count: '*' }).first()).toEqual({ count: '2' });
    });
  });
}

describe('otpkit --schema where there is no PostgreSQL search path to set', () => {
  const app = workDir();
  afterAll(() => app.remove());
  const otpkit = (args: string[], env: Record<string, string>) => runBin(args, { cwd: app.path, env });
  const forPostgres =
    'otpkit: a schema (--schema, OTPKIT_DATABASE_SCHEMA) is for PostgreSQL: MySQL, MariaDB and SQLite have none inside a database; name the database in DATABASE_URL instead (ERR_OTP_CONFIGURATION)\n';

  it('refuses it for MySQL and SQLite, and with a configuration file, whose knex sets its own searchPath', async () => {
    expect(await otpkit(['devices', 'alice', '--schema', 'auth'], { DATABASE_URL: 'mysql://root@127.0.0.1:1/none' })).toEqual({ code: 1, stdout: '', stderr: forPostgres });
    expect(await otpkit(['migrate'], { DATABASE_URL: 'app.sqlite', OTPKIT_DATABASE_SCHEMA: 'auth' })).toEqual({ code: 1, stdout: '', stderr: forPostgres });
    expect(await otpkit(['migrate'], { DATABASE_URL: 'postgres://otpkit:s3cret@[db/app' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'otpkit: DATABASE_URL is not a valid URL (postgres://user:password@host:5432/database) (ERR_OTP_CONFIGURATION)\n',
    });
    writeFileSync(join(app.path, 'otpkit.config.mjs'), 'export default {};\n');
    expect(await otpkit(['devices', 'alice', '--schema', 'auth'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' })).toEqual({
      code: 1,
      stdout: '',
      stderr: `otpkit: --schema is for DATABASE_URL mode: set the search path in ${join(app.path, 'otpkit.config.mjs')} (knex's searchPath) (ERR_OTP_CONFIGURATION)\n`,
    });
  });
});

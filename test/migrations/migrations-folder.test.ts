import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { createOtp } from '@otpkit/core';
import { testBackends } from '@otpkit/core/testing';
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { ConsoleProvider, sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { webauthn } from '@otpkit/webauthn';
import { describe, expect, it } from 'vitest';

const directory = fileURLToPath(new URL('../../migrations/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TABLES = ['otp_user_throttle', 'otp_send_destination', 'otp_remembered_browser', 'otp_audit_event', 'otp_user_setting', 'otp_device_import', 'otp_totp_device', 'otp_hotp_device', 'otp_static_device', 'otp_static_token', 'otp_email_device', 'otp_sms_device', 'otp_webauthn_device', 'otp_webauthn_ceremony'];

describe('the migrations/ folder', () => {
  // Steps added in a later release get later timestamps than every earlier file (an upgraded
  // database then applies only them), so the folder keeps each owner's steps in order, not owners together.
  it('has one file per migration step of core and of every plugin, each owner in order', async () => {
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    const devices = [totp(), hotp(), staticTokens(), email({ transport: 'smtp://127.0.0.1:25', from: 'a@localhost' }), sms({ provider: new ConsoleProvider() }), webauthn({ rpName: 'Acme', rpID: 'localhost', origins: 'http://localhost' })];
    const source = createOtp({ knex, devices, logger: { warn() {} } }).migrationSource();
    const steps = (await source.getMigrations([])).map((entry) => source.getMigrationName(entry).replace('/', '_'));
    const files = readdirSync(directory).filter((name) => name.endsWith('.mjs')).sort();
    const named = files.map((name) => name.replace(/^\d{14}_otpkit_/, '').replace(/\.mjs$/, ''));
    expect([...named].sort()).toEqual([...steps].sort());
    const ownerOf = (step: string) => step.slice(0, step.indexOf('_'));
    for (const owner of new Set(steps.map(ownerOf))) {
      expect(named.filter((step) => ownerOf(step) === owner)).toEqual(steps.filter((step) => ownerOf(step) === owner));
    }
    await knex.destroy();
  });
});

describe('the migrations/ folder in an app with some plugins installed', () => {
  it("runs the files of core and of the installed plugins without the other plugins' packages", async () => {
    const app = mkdtempSync(join(tmpdir(), 'otpkit-migrations-'));
    try {
      const installed: [name: string, target: string][] = [['@otpkit/core', 'packages/core'], ['@otpkit/totp', 'packages/totp'], ['knex', 'node_modules/knex']];
      for (const [name, target] of installed) {
        mkdirSync(join(app, 'node_modules', name, '..'), { recursive: true });
        symlinkSync(join(ROOT, target), join(app, 'node_modules', name), 'dir');
      }
      mkdirSync(join(app, 'migrations', 'lib'), { recursive: true });
      copyFileSync(join(directory, 'lib', 'otpkit-step.mjs'), join(app, 'migrations', 'lib', 'otpkit-step.mjs'));
      const kept = readdirSync(directory).filter((name) => /_otpkit_(core|totp)_.*\.mjs$/.test(name));
      for (const name of kept) copyFileSync(join(directory, name), join(app, 'migrations', name));
      const script = `import knexFactory from 'knex';
const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
const [, applied] = await knex.migrate.latest({ directory: 'migrations', loadExtensions: ['.mjs'] });
console.log(JSON.stringify({ applied, totp: await knex.schema.hasTable('otp_totp_device') }));
await knex.destroy();`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: app, timeout: 60_000 });
      expect(JSON.parse(stdout)).toEqual({ applied: kept.sort(), totp: true });
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});

for (const backend of testBackends()) {
  describe(`the migrations/ folder on ${backend.name}`, () => {
    it("runs every otpkit step as a plain knex migration, and rolls them all back", async () => {
      const database = await backend.createDatabase({ poolSize: 2 });
      const { knex } = database;
      try {
        const [, applied] = (await knex.migrate.latest({ directory, loadExtensions: ['.mjs'] })) as [number, string[]];
        expect(applied).toHaveLength(21);
        for (const table of TABLES) expect(await knex.schema.hasTable(table)).toBe(true);
        expect((await knex.migrate.latest({ directory, loadExtensions: ['.mjs'] }))[1]).toEqual([]);

        await knex.migrate.rollback({ directory, loadExtensions: ['.mjs'] }, true);
        for (const table of TABLES) expect(await knex.schema.hasTable(table)).toBe(false);
      } finally {
        await database.destroy();
      }
    });
  });
}

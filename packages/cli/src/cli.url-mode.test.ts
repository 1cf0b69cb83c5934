import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTER_PLUGIN, createUsers, runBin, workDir, type WorkDir } from './test-support/run-bin.js';

const keys = { OTP_KEY_1: 'f'.repeat(64) };

/** Writes a package into `node_modules`: its manifest, and the counter plugin's module as its entry when `module` is set. */
function writePackage(nodeModules: string, name: string, otpkit: Record<string, unknown>, module = false): void {
  const packageDir = join(nodeModules, name);
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name, type: 'module', exports: './index.mjs', otpkit }));
  if (module) symlinkSync(join(COUNTER_PLUGIN, 'index.mjs'), join(packageDir, 'index.mjs'));
}

/** Runs the binary in `dir` on its own SQLite file `app.sqlite`. */
const inDir = (dir: { path: string }, env: Record<string, string> = {}) => (...args: string[]) =>
  runBin(args, { cwd: dir.path, env: { DATABASE_URL: 'app.sqlite', ...keys, ...env } });

describe('otpkit with DATABASE_URL: the installed plugin packages', () => {
  const dirs: { remove(): void }[] = [];
  const newDir = () => {
    const dir = workDir();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => dir.remove()));

  it('uses every package that declares a plugin and has its tables, says which on stderr, and names those needing options with the fix', async () => {
    const dir = newDir();
    writePackage(dir.nodeModules, 'otpkit-tally', { plugin: 'tally', factory: 'tally' }, true);
    writePackage(dir.nodeModules, '@acme/otp-mail', { plugin: 'mail', factory: 'mail', needsOptions: true });
    const otpkit = inDir(dir);
    const needOptions = 'otpkit: left out, they need options: mail (@acme/otp-mail); configure them in otpkit.config.js (see otpkit --help)\n';
    expect(await otpkit('migrate')).toEqual({
      code: 0,
      stdout: 'Migrated otpkit (devices: counter, tally).\n',
      stderr: `otpkit: device plugins from node_modules: counter (otpkit-counter), tally (otpkit-tally)\n${needOptions}`,
    });
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: join(dir.path, 'app.sqlite') }, useNullAsDefault: true });
    try {
      await createUsers(knex);
      await knex.schema.dropTable('otp_tally_device');
    } finally {
      await knex.destroy();
    }
    expect(await otpkit('devices', 'alice')).toEqual({
      code: 0,
      stdout: 'alice has no devices.\n',
      stderr:
        'otpkit: device plugins from node_modules: counter (otpkit-counter)\n' +
        'otpkit: left out, their tables are not in the database (otpkit migrate creates them): tally (otpkit-tally)\n' +
        needOptions,
    });
    expect(await otpkit('devices', 'alice', '--json')).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    expect(await otpkit('enroll', 'tally', 'alice', '--json')).toMatchObject({ code: 1, stderr: '{"error":{"code":"ERR_OTP_CONFIGURATION","message":"device type \\"tally\\" is not configured"}}\n' });
  });

  it("passes the options a package's declaration reads from the environment, leaving out empty variables", async () => {
    const dir = newDir();
    expect(await inDir(dir)('migrate', '--json')).toMatchObject({ code: 0 });
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: join(dir.path, 'app.sqlite') }, useNullAsDefault: true });
    await createUsers(knex).finally(() => knex.destroy());
    const named = await inDir(dir, { COUNTER_LABEL: 'Key ring' })('enroll', 'counter', 'alice', '--json');
    expect(JSON.parse(named.stdout)).toMatchObject({ name: 'Key ring' });
    const unnamed = await inDir(dir, { COUNTER_LABEL: '' })('enroll', 'counter', 'bob', '--json');
    expect(JSON.parse(unnamed.stdout)).toMatchObject({ name: 'Counter' });
  });

  it('uses a package that needs options once the environment sets every variable its declaration reads, and names the unset ones until then', async () => {
    const dir = newDir();
    writePackage(dir.nodeModules, 'otpkit-tally', { plugin: 'tally', factory: 'tally', needsOptions: true, env: { site: 'TALLY_SITE', origin: 'TALLY_ORIGIN' } }, true);
    const leftOut = (unset: string) => `otpkit: left out, they need options: tally (otpkit-tally, or set ${unset}); configure them in otpkit.config.js (see otpkit --help)\n`;
    expect(await inDir(dir)('migrate')).toEqual({
      code: 0,
      stdout: 'Migrated otpkit (devices: counter).\n',
      stderr: `otpkit: device plugins from node_modules: counter (otpkit-counter)\n${leftOut('TALLY_SITE, TALLY_ORIGIN')}`,
    });
    expect(await inDir(dir, { TALLY_SITE: 'acme.example', TALLY_ORIGIN: '' })('migrate')).toMatchObject({ code: 0, stdout: 'Migrated otpkit (devices: counter).\n', stderr: expect.stringContaining(leftOut('TALLY_ORIGIN')) });
    expect(await inDir(dir, { TALLY_SITE: 'acme.example', TALLY_ORIGIN: 'https://acme.example' })('migrate')).toEqual({
      code: 0,
      stdout: 'Migrated otpkit (devices: counter, tally).\n',
      stderr: 'otpkit: device plugins from node_modules: counter (otpkit-counter), tally (otpkit-tally)\n',
    });
  });

  it('names the variables that set options a plugin refuses', async () => {
    const dir = newDir();
    writePackage(dir.nodeModules, 'otpkit-strict', { plugin: 'strict', factory: 'strict', needsOptions: true, env: { origin: 'STRICT_ORIGIN' } });
    writeFileSync(
      join(dir.nodeModules, 'otpkit-strict', 'index.mjs'),
      `import { ConfigurationError } from '@otpkit/core';
export function strict(options) { throw new ConfigurationError('strict: origin ' + options.origin + ' must be https'); }
`,
    );
    expect(await inDir(dir, { STRICT_ORIGIN: 'http://acme.example' })('migrate')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'otpkit: strict: origin http://acme.example must be https (options from STRICT_ORIGIN) (ERR_OTP_CONFIGURATION)\n',
    });
  });

  it('resolves packages as Node does: a nearer node_modules hides a farther package of the same name', async () => {
    const outer = newDir();
    const app = { path: join(outer.path, 'app') };
    writePackage(join(app.path, 'node_modules'), 'otpkit-counter', { plugin: 'counter', factory: 'counter', needsOptions: true });
    expect(await inDir(app)('migrate')).toEqual({
      code: 1,
      stdout: '',
      stderr: `otpkit: DATABASE_URL: no device plugin that works without options is installed in ${app.path} or above: install one, or use otpkit.config.js (ERR_OTP_CONFIGURATION)\n`,
    });
  });

  it('fails in one line naming the fix for a malformed declaration, a missing factory, a plugin of another type, or two packages of one type', async () => {
    const cases: [name: string, otpkit: Record<string, unknown>, module: boolean, message: (dir: WorkDir) => string][] = [
      ['bad-type', { plugin: 'Not a type', factory: 'counter' }, false, (dir) => `${join(dir.nodeModules, 'bad-type', 'package.json')}: "otpkit.plugin" must be a device type such as "totp" (fix or uninstall bad-type, or use otpkit.config.js)`],
      ['bad-env', { plugin: 'other', factory: 'counter', env: { label: 7 } }, false, (dir) => `${join(dir.nodeModules, 'bad-env', 'package.json')}: "otpkit.env" must map option names to environment variable names (fix or uninstall bad-env, or use otpkit.config.js)`],
      ['no-factory', { plugin: 'other', factory: 'missing' }, true, () => 'no-factory does not export the plugin factory missing its package.json names'],
      ['wrong-type', { plugin: 'other', factory: 'counter' }, true, () => 'wrong-type: counter() made no "other" device plugin, as its package.json declares'],
      ['zz-counter', { plugin: 'counter', factory: 'counter' }, true, () => 'zz-counter and otpkit-counter both declare the device type "counter": uninstall one, or use otpkit.config.js'],
    ];
    for (const [name, otpkit, module, message] of cases) {
      const dir = newDir();
      writePackage(dir.nodeModules, name, otpkit, module);
      expect(await inDir(dir)('migrate'), name).toEqual({ code: 1, stdout: '', stderr: `otpkit: ${message(dir)} (ERR_OTP_CONFIGURATION)\n` });
    }
  });

  it('fails naming the fix when no plugin package is installed, or no installed plugin has its tables', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'otpkit-cli-bare-'));
    try {
      expect(await inDir({ path: bare })('migrate')).toMatchObject({
        code: 1,
        stderr: `otpkit: DATABASE_URL: no device plugin that works without options is installed in ${bare} or above: install one, or use otpkit.config.js (ERR_OTP_CONFIGURATION)\n`,
      });
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
    const dir = newDir();
    writeFileSync(join(dir.path, 'app.sqlite'), '');
    expect(await inDir(dir)('devices', 'alice')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'otpkit: DATABASE_URL: no installed device plugin has its tables in this database: run otpkit migrate (ERR_OTP_CONFIGURATION)\n',
    });
  });
});

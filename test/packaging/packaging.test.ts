import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INSTALL_TIMEOUT = 15 * 60_000;

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = (path: string) => JSON.parse(readFileSync(`${ROOT}${path}`, 'utf8')) as Manifest;
const publicPackages = readdirSync(`${ROOT}packages`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => manifest(`packages/${entry.name}/package.json`))
  .filter((pkg) => !pkg.private)
  .map((pkg) => pkg.name);

/** The version range the repository uses for a third-party package. */
function rangeOf(name: string): string {
  const manifests = [manifest('package.json'), manifest('packages/demo/package.json')];
  const range = manifests.map((m) => m.dependencies?.[name] ?? m.devDependencies?.[name]).find((found) => found !== undefined);
  if (range === undefined) throw new Error(`the repository does not depend on ${name}`);
  return range;
}

describe('the published packages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-packaging-'));
  const app = join(dir, 'app');
  let packed: { name: string; filename: string; files: { path: string }[] }[] = [];
  const inApp = (file: string, args: string[], env: Record<string, string> = {}) =>
    run(file, args, { cwd: app, env: { ...process.env, ...env }, timeout: 60_000 });

  beforeAll(async () => {
    await run('npx', ['tsc', '-b', 'packages/tsconfig.build.json'], { cwd: ROOT, timeout: 5 * 60_000 });
    const tarballs = join(dir, 'tarballs');
    mkdirSync(tarballs);
    mkdirSync(app);
    const workspaces = publicPackages.flatMap((name) => ['-w', name]);
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tarballs, ...workspaces], { cwd: ROOT });
    packed = JSON.parse(stdout);
    const otpkit = Object.fromEntries(packed.map(({ name, filename }) => [name, `file:${join(tarballs, filename)}`]));
    const thirdParty = Object.fromEntries(['express', 'express-session', 'knex', 'better-sqlite3', 'pg'].map((name) => [name, rangeOf(name)]));
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'otpkit-packaging-app',
        private: true,
        type: 'module',
        dependencies: { ...otpkit, ...thirdParty },
        // The packages depend on each other by version: resolve those to the tarballs too.
        overrides: Object.fromEntries(Object.keys(otpkit).map((name) => [name, `$${name}`])),
        allowScripts: { 'better-sqlite3': true },
      }),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, timeout: INSTALL_TIMEOUT });
    copyFileSync(`${ROOT}packages/demo/dist/examples/getting-started.js`, join(app, 'getting-started.js'));
    copyFileSync(`${ROOT}test/packaging/app/check-getting-started.mjs`, join(app, 'check-getting-started.mjs'));
  }, INSTALL_TIMEOUT + 6 * 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs every public package with built JavaScript and type declarations, core with the migrations (its own, and the one that derives each plugin\'s tables), and no sources or tests', () => {
    expect(packed.map((pkg) => pkg.name).sort()).toEqual([...publicPackages].sort());
    for (const { name, files } of packed) {
      const paths = files.map((file) => file.path);
      expect(paths, name).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts']));
      expect(paths.filter((path) => /\.test\.|(^|\/)src\/|test-support/.test(path)), name).toEqual([]);
    }
    expect(packed.find((pkg) => pkg.name === '@otpkit/core')!.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['dist/migrations/core.js', 'dist/migrations/device-tables.js', 'dist/testing/index.js', 'dist/testing/index.d.ts']),
    );
    expect(packed.find((pkg) => pkg.name === '@otpkit/cli')!.files.map((file) => file.path)).toContain('dist/bin.js');
  });

  const databases: { name: string; url: () => Promise<{ url: string; database: TestDatabase | null }> }[] = [
    { name: 'sqlite', url: async () => ({ url: join(app, 'getting-started.sqlite'), database: null }) },
  ];
  const postgres = testBackends().find((backend) => backend.name === 'postgres');
  if (postgres) {
    databases.push({
      name: 'postgres',
      url: async () => {
        const database = await postgres.createDatabase({ poolSize: 1 });
        return { url: database.config.connection as string, database };
      },
    });
  }

  it.each(databases)('runs the getting-started app from the installed packages on $name', async ({ url }) => {
    const target = await url();
    try {
      // The test database's own pool stays idle: the app opens its own connections.
      const { stdout } = await inApp(process.execPath, ['check-getting-started.mjs'], {
        DATABASE_URL: target.url,
        OTP_KEY_1: 'c'.repeat(64),
        SESSION_SECRET: 'packaging-test-session-secret',
      });
      expect(stdout).toBe('ok\n');
    } finally {
      await target.database?.destroy();
    }
  });

  it('runs otpkit addstatictoken from the installed binary, which finds the installed plugin packages, and the code verifies', async () => {
    const env = { DATABASE_URL: join(app, 'cli.sqlite') };
    const otpkit = (...args: string[]) => inApp(join(app, 'node_modules/.bin/otpkit'), args, env);
    const cli = JSON.parse(readFileSync(join(app, 'node_modules/@otpkit/cli/package.json'), 'utf8')) as Manifest;
    expect(Object.keys(cli.dependencies ?? {}).filter((name) => name.startsWith('@otpkit/'))).toEqual(['@otpkit/core']);
    expect((await otpkit('migrate')).stdout).toBe('Migrated otpkit (devices: hotp, static, totp).\n');
    await inApp(process.execPath, [
      '--input-type=module',
      '-e',
      `import knexFactory from 'knex';
       const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: 'cli.sqlite' }, useNullAsDefault: true });
       await knex.schema.createTable('users', (t) => { t.increments('id'); t.string('username'); t.string('email'); });
       await knex('users').insert({ username: 'alice' });
       await knex.destroy();`,
    ]);
    expect((await otpkit('addstatictoken', '-t', 'rescue123', 'alice')).stdout).toBe('rescue123\n');
    expect((await otpkit('verify', 'alice', 'rescue123')).stdout).toMatch(/^Verified: static\/1 \(Backup Code\)\.\n$/);
  });
});

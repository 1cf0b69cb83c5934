import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from '../docs/doc-pages.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INSTALL_TIMEOUT = 15 * 60_000;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

const manifest = (path: string) => JSON.parse(readFileSync(`${ROOT}${path}`, 'utf8')) as Manifest;
const workspaces = readdirSync(`${ROOT}packages`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => manifest(`packages/${entry.name}/package.json`));
const publicPackages = workspaces.filter((pkg) => !pkg.private).map((pkg) => pkg.name);
const version = manifest('packages/core/package.json').version;

/** The getting-started page's shell blocks: installing from a registry, and from the tarballs of `npm run pack`. */
const installBlocks = codeBlocks('docs/getting-started.md', readFileSync(`${ROOT}docs/getting-started.md`, 'utf8')).filter(
  (block) => block.language === 'sh' && /^npm install /m.test(block.code),
);
const fromRegistry = installBlocks.find((block) => !block.code.includes('$OTPKIT'))!.code;
const fromTarballs = installBlocks.find((block) => block.code.includes('$OTPKIT'))!.code;

/** The arguments of a block's `npm install` command (continued lines joined, comments dropped). */
function installArguments(script: string): string[] {
  const command = script.replace(/\\\n/g, ' ').split('\n').find((line) => line.startsWith('npm install '))!;
  return command.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
}

/** `$OTPKIT/otpkit-totp-0.2.0.tgz` is `@otpkit/totp`, at the version it names. */
const TARBALL = /^\$OTPKIT\/otpkit-([a-z]+)-(\d+\.\d+\.\d+)\.tgz$/;

describe('the published packages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-packaging-'));
  const tarballs = join(dir, 'tarballs');
  const app = join(dir, 'app');
  let printed: string[] = [];
  let packed: { name: string; files: string[] }[] = [];
  let installWarnings = '';
  const inApp = (file: string, args: string[], env: Record<string, string> = {}) =>
    run(file, args, { cwd: app, env: { ...process.env, ...env }, timeout: 60_000 });

  beforeAll(async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'pack', '--', tarballs], { cwd: ROOT, timeout: 5 * 60_000 });
    printed = stdout.trim().split('\n');
    packed = await Promise.all(
      printed.map(async (tarball) => {
        const { stdout: listing } = await run('tar', ['-tzf', tarball]);
        const { stdout: packageJson } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
        return { name: (JSON.parse(packageJson) as Manifest).name, files: listing.trim().split('\n').map((path) => path.replace(/^package\//, '')) };
      }),
    );
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'otpkit-packaging-app', private: true, type: 'module' }));
    // The page's commands as a user runs them, with the folder npm run pack wrote, and pg (which the
    // page names as the alternative to better-sqlite3) for the PostgreSQL run.
    const script = fromTarballs
      .replace(/^OTPKIT=.*$/m, `OTPKIT='${tarballs}'`)
      .replace(/ better-sqlite3(\s+#.*\bpg\b.*)$/m, ' better-sqlite3 pg$1');
    if (!script.includes(' better-sqlite3 pg')) throw new Error('getting-started no longer names pg as the alternative to better-sqlite3');
    // Packages already in npm's cache are taken from it (the commands are the page's; only the fetching is quicker).
    const { stderr } = await run('sh', ['-ec', script], { cwd: app, timeout: INSTALL_TIMEOUT, env: { ...process.env, npm_config_prefer_offline: 'true' } });
    installWarnings = stderr;
    copyFileSync(`${ROOT}packages/demo/dist/examples/getting-started.js`, join(app, 'getting-started.js'));
    copyFileSync(`${ROOT}test/packaging/app/check-getting-started.mjs`, join(app, 'check-getting-started.mjs'));
  }, INSTALL_TIMEOUT + 6 * 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm run pack writes one tarball per public package, the private demo left out, to one folder, and prints their paths', () => {
    expect(printed.map((path) => dirname(path))).toEqual(printed.map(() => tarballs));
    expect(readdirSync(tarballs).sort()).toEqual(printed.map((path) => basename(path)).sort());
    expect(packed.map((pkg) => pkg.name).sort()).toEqual([...publicPackages].sort());
    expect(workspaces.filter((pkg) => pkg.private).map((pkg) => pkg.name)).toEqual(['@otpkit/demo']);
  });

  it('packs every public package with built JavaScript and type declarations, core with the migrations (its own, and the one that derives each plugin\'s tables), and no sources or tests', () => {
    for (const { name, files } of packed) {
      expect(files, name).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']));
      expect(files.filter((path) => /\.test\.|(^|\/)src\/|test-support|examples\//.test(path)), name).toEqual([]);
    }
    expect(packed.find((pkg) => pkg.name === '@otpkit/core')!.files).toEqual(
      expect.arrayContaining(['dist/migrations/core.js', 'dist/migrations/device-tables.js', 'dist/testing/index.js', 'dist/testing/index.d.ts']),
    );
    expect(packed.find((pkg) => pkg.name === '@otpkit/cli')!.files).toEqual(expect.arrayContaining(['bin/otpkit.js', 'dist/bin.js']));
  });

  it('getting-started installs the same packages from the tarballs as from a registry, at the packages\' version, and the app gets exactly those', () => {
    const registryArguments = installArguments(fromRegistry);
    const tarballArguments = installArguments(fromTarballs).map((argument) => {
      const match = TARBALL.exec(argument);
      if (match === null) return argument;
      expect(match[2], argument).toBe(version);
      return `@otpkit/${match[1]}`;
    });
    expect(tarballArguments).toEqual(registryArguments);
    const installed = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as Manifest;
    expect(Object.keys(installed.dependencies ?? {}).sort()).toEqual([...registryArguments, 'pg'].sort());
    for (const name of registryArguments.filter((name) => name.startsWith('@otpkit/'))) {
      expect(installed.dependencies![name], name).toMatch(/^file:.*\.tgz$/);
    }
  });

  it('installs without npm\'s warning that an install script is not covered by allowScripts', () => {
    expect(installWarnings).not.toMatch(/allowScripts|install-scripts|allow-scripts/);
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

  it('runs otpkit addstatictoken from the installed binary, which finds the installed plugin packages (and no others), and the code verifies', async () => {
    const env = { DATABASE_URL: join(app, 'cli.sqlite') };
    const otpkit = (...args: string[]) => inApp(join(app, 'node_modules/.bin/otpkit'), args, env);
    const cli = JSON.parse(readFileSync(join(app, 'node_modules/@otpkit/cli/package.json'), 'utf8')) as Manifest;
    expect(Object.keys(cli.dependencies ?? {}).filter((name) => name.startsWith('@otpkit/'))).toEqual(['@otpkit/core']);
    expect((await otpkit('migrate')).stdout).toBe('Migrated otpkit (devices: static, totp).\n');
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

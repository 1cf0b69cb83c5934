import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUsers, runBin, workDir } from './test-support/run-bin.js';

const sqlite = testBackends().find((backend) => backend.name === 'sqlite')!;

describe('otpkit configuration', () => {
  let database: TestDatabase;
  const cwd = workDir();
  const otpkit = (args: string[], env: Record<string, string> = {}) => runBin(args, { cwd: cwd.path, env });
  /** A configuration module over the test database whose users live in `accounts.login`. */
  const configSource = (exported: string) => `import knexFactory from 'knex';
import { createOtp } from '@otpkit/core';
import { counter } from 'otpkit-counter';
const options = {
  knex: knexFactory(${JSON.stringify(database.config)}),
  devices: [counter()],
  users: { table: 'accounts', usernameColumn: 'login' },
  logger: { warn() {} },
};
export default ${exported};
`;

  beforeAll(async () => {
    database = await sqlite.createDatabase();
    await createUsers(database.knex, 'accounts', 'login');
  });
  afterAll(async () => {
    await database?.destroy();
    cwd.remove();
  });

  it('reads otpkit.config.mjs in the working directory, exporting the createOtp options, and says nothing about plugin packages', async () => {
    writeFileSync(join(cwd.path, 'otpkit.config.mjs'), configSource('options'));
    expect(await otpkit(['migrate'])).toEqual({ code: 0, stdout: 'Migrated otpkit (devices: counter).\n', stderr: '' });
    expect(await otpkit(['enroll', 'counter', 'alice'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Enrolled counter\/1 \(Counter\), unconfirmed\.\n/), stderr: '' });
  });

  it('reads --config PATH exporting an otpkit instance, or a function returning one, ahead of the working directory', async () => {
    writeFileSync(join(cwd.path, 'instance.mjs'), configSource('createOtp(options)'));
    writeFileSync(join(cwd.path, 'factory.js'), configSource('async () => createOtp(options)'));
    writeFileSync(join(cwd.path, 'package.json'), '{"type":"module"}');
    for (const file of ['instance.mjs', 'factory.js']) {
      const listed = await otpkit(['--config', file, 'devices', 'alice', '--json']);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'Counter', type: 'counter' })]);
    }
  });

  it('fails in one line for a configuration file that is missing, broken or exports something else', async () => {
    writeFileSync(join(cwd.path, 'empty.mjs'), 'export const nothing = 1;\n');
    writeFileSync(join(cwd.path, 'broken.mjs'), 'export default {{;\n');
    const missing = await otpkit(['-c', 'nope.mjs', 'migrate']);
    const empty = await otpkit(['-c', 'empty.mjs', 'migrate']);
    const broken = await otpkit(['-c', 'broken.mjs', 'migrate']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `otpkit: configuration file ${join(cwd.path, 'nope.mjs')} does not exist (ERR_OTP_CONFIGURATION)\n` });
    expect(empty).toEqual({
      code: 1,
      stdout: '',
      stderr: `otpkit: ${join(cwd.path, 'empty.mjs')} must export default the createOtp options, an otpkit instance, or a function returning one (ERR_OTP_CONFIGURATION)\n`,
    });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^otpkit: \S+broken\.mjs could not be loaded: .+ \(ERR_OTP_CONFIGURATION\)\n$/);
    writeFileSync(join(cwd.path, 'throws.mjs'), "export default async () => { throw new TypeError('the vault is sealed\\nat line 2'); };\n");
    expect(await otpkit(['-c', 'throws.mjs', 'migrate'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `otpkit: ${join(cwd.path, 'throws.mjs')}: its default export failed: the vault is sealed (ERR_OTP_CONFIGURATION)\n`,
    });
  });

  it("keeps a missing database driver's fix whole: which package to install", async () => {
    writeFileSync(join(cwd.path, 'oracle.mjs'), "import knexFactory from 'knex';\nexport default { knex: knexFactory({ client: 'oracledb', connection: 'oracle://db/app' }), devices: [] };\n");
    const result = await otpkit(['-c', 'oracle.mjs', 'devices', 'alice']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr.split('\n').at(-2)).toBe(
      `otpkit: ${join(cwd.path, 'oracle.mjs')} could not be loaded: the database driver oracledb could not be loaded (Cannot find module 'oracledb'): install it in the app with npm install oracledb (ERR_OTP_CONFIGURATION)`,
    );
  });

  it('reports a throttled user with the time the throttle lifts', async () => {
    writeFileSync(join(cwd.path, 'strict.mjs'), configSource('{ ...options, guessThrottle: { factor: 3600 } }'));
    // Misses are charged to a user with a confirmed device.
    const { persistentId, display } = JSON.parse((await otpkit(['-c', 'strict.mjs', 'enroll', 'counter', 'alice', '--json'])).stdout);
    expect(await otpkit(['-c', 'strict.mjs', 'confirm', persistentId, display.nextToken])).toMatchObject({ code: 0 });
    expect(await otpkit(['-c', 'strict.mjs', 'verify', 'alice', '000000'])).toMatchObject({ code: 1, stderr: 'otpkit: The token was not accepted (ERR_CLI_TOKEN_REJECTED)\n' });
    const throttled = await otpkit(['-c', 'strict.mjs', 'verify', 'alice', '000000']);
    expect(throttled.code).toBe(1);
    const until = /try again after (\S+) \(ERR_CLI_THROTTLED\)\n$/.exec(throttled.stderr)?.[1];
    expect(throttled.stderr).toMatch(/^otpkit: Too many failed attempts \(1\); /);
    expect(Date.parse(until!) - Date.now()).toBeGreaterThan(3_500_000);
  });

  it('reports invalid createOtp options as a configuration error', async () => {
    writeFileSync(join(cwd.path, 'bad-key.mjs'), configSource("{ ...options, secretKeys: { '1': 'short' } }"));
    expect(await otpkit(['-c', 'bad-key.mjs', 'devices', 'alice'])).toMatchObject({
      code: 1,
      stderr: "otpkit: secretKeys['1'] must be 32 bytes, given as 64 hex digits or base64 (ERR_OTP_CONFIGURATION)\n",
    });
  });
});

describe('otpkit without a usable database', () => {
  const cwd = workDir();
  afterAll(() => cwd.remove());
  const otpkit = (args: string[], env: Record<string, string> = {}) => runBin(args, { cwd: cwd.path, env });

  it('says how to configure it when there is no configuration at all', async () => {
    expect(await otpkit(['devices', 'alice'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'otpkit: No configuration: pass --config PATH, add otpkit.config.ts (or .js), or set DATABASE_URL (ERR_CLI_NO_CONFIG)\n',
    });
  });

  it('reports an unreachable database server in one line with the driver reason', async () => {
    for (const url of ['postgres://postgres@127.0.0.1:1/none', 'mysql://root@127.0.0.1:1/none']) {
      const result = await otpkit(['devices', 'alice', '--json'], { DATABASE_URL: url });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect(JSON.parse(result.stderr)).toEqual({ error: { code: 'ERR_OTP_STORAGE', message: expect.stringMatching(/^The device store failed: .*ECONNREFUSED/) } });
    }
  });

  it('refuses a SQLite file that does not exist except when migrating, and an unknown URL scheme', async () => {
    const found = 'otpkit: device plugins from node_modules: counter (otpkit-counter)\n';
    expect(await otpkit(['devices', 'alice'], { DATABASE_URL: 'missing.sqlite' })).toMatchObject({
      code: 1,
      stderr: `otpkit: SQLite database ${join(cwd.path, 'missing.sqlite')} does not exist (otpkit migrate creates it) (ERR_OTP_CONFIGURATION)\n`,
    });
    expect(await otpkit(['migrate'], { DATABASE_URL: 'sqlite:fresh.sqlite' })).toMatchObject({ code: 0 });
    expect(await otpkit(['devices', 'alice'], { DATABASE_URL: 'fresh.sqlite' })).toMatchObject({
      code: 1,
      stderr: `${found}otpkit: The device store failed: SQLITE_ERROR: no such table: users (ERR_OTP_STORAGE)\n`,
    });
    expect(await otpkit(['migrate'], { DATABASE_URL: 'redis://127.0.0.1/0' })).toMatchObject({
      code: 1,
      stderr: 'otpkit: DATABASE_URL scheme "redis:" is not supported (postgres://, mysql://, or a SQLite file path) (ERR_OTP_CONFIGURATION)\n',
    });
  });

  it('warns once on stderr that secrets are stored in plaintext when no OTP_KEY_<id> is set', async () => {
    const result = await otpkit(['migrate', '--json'], { DATABASE_URL: 'warn.sqlite' });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^otpkit: warning: no secretKeys configured: .*\n$/);
  });
});

describe('otpkit usage', () => {
  const cwd = workDir();
  afterAll(() => cwd.remove());
  const commands = [
    'migrate',
    'devices',
    'enroll',
    'confirm',
    'challenge',
    'verify',
    'remove',
    'browsers',
    'audit',
    'rotate-secrets',
    'sweep',
    'check',
    'addstatictoken',
    'static',
    'static generate',
    'totp',
    'totp add',
    'totp confirm',
  ];

  it('prints help for the program and for every command, exiting 0', async () => {
    const overview = await runBin(['--help'], { cwd: cwd.path });
    expect(overview.code).toBe(0);
    for (const command of commands) {
      if (!command.includes(' ')) expect(overview.stdout).toContain(`  ${command}`);
      const help = await runBin([...command.split(' '), '--help'], { cwd: cwd.path });
      expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^Usage: otpkit ${command} `)) });
    }
  });

  it('exits 2 with the reason for an unknown command or a missing argument', async () => {
    expect(await runBin(['frobnicate'], { cwd: cwd.path })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: unknown command 'frobnicate'\n/) });
    expect(await runBin(['verify', 'alice'], { cwd: cwd.path })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: missing required argument 'token'\n/) });
  });
});

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUsers, runBin, workDir } from '../../packages/cli/src/test-support/run-bin.js';

const sqlite = testBackends().find((backend) => backend.name === 'sqlite')!;

describe('otpkit with a configuration file using otpkit plugins', () => {
  let database: TestDatabase;
  const cwd = workDir('repository');
  const otpkit = (...args: string[]) => runBin(args, { cwd: cwd.path, env: { APP_DB: (database.config.connection as { filename: string }).filename, OTP_KEY_1: 'e'.repeat(64) } });

  beforeAll(async () => {
    database = await sqlite.createDatabase();
    await createUsers(database.knex, 'accounts', 'login');
  });
  afterAll(async () => {
    await database?.destroy();
    cwd.remove();
  });

  it('runs the configuration file of docs/cli.md', async () => {
    copyFileSync(new URL('./examples/otpkit.config.mjs', import.meta.url), join(cwd.path, 'docs-example.mjs'));
    expect(await otpkit('-c', 'docs-example.mjs', 'migrate')).toEqual({ code: 0, stdout: 'Migrated otpkit (devices: totp, static).\n', stderr: '' });
    const added = await otpkit('-c', 'docs-example.mjs', 'totp', 'add', 'bob', '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).display.otpauthUri).toMatch(/^otpauth:\/\/totp\/Acme:bob\?/);
  });

  it('enrols a device that sends its tokens: the first goes out at once and confirms it; challenge sends the next, once per cooldown', async () => {
    const outbox = join(cwd.path, 'sms.txt');
    writeFileSync(outbox, '');
    writeFileSync(
      join(cwd.path, 'sms.mjs'),
      `import { appendFileSync } from 'node:fs';
import knexFactory from 'knex';
import { sms } from '@otpkit/sms';
export default {
  knex: knexFactory({ client: 'better-sqlite3', connection: { filename: process.env.APP_DB }, useNullAsDefault: true }),
  devices: [sms({ provider: { send: async (to, text) => appendFileSync(${JSON.stringify(outbox)}, to + ' ' + text + '\\n') } })],
  users: { table: 'accounts', usernameColumn: 'login' },
  secretKeys: { '1': process.env.OTP_KEY_1 },
};
`,
    );
    expect(await otpkit('-c', 'sms.mjs', 'migrate')).toMatchObject({ code: 0, stdout: 'Migrated otpkit (devices: sms).\n' });
    const enrolled = await otpkit('-c', 'sms.mjs', 'enroll', 'sms', 'alice', '--field', 'number=+1 415 555 0100');
    expect(enrolled.code).toBe(0);
    const lines = enrolled.stdout.trimEnd().split('\n');
    const persistentId = /^Enrolled (sms\/\d+) \(\S+\), unconfirmed\.$/.exec(lines[0]!)?.[1];
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^Message: .+$/),
      expect.stringMatching(/^Valid until: \d{4}-\d\d-\d\dT[\d:.]+Z$/),
      `Confirm it with a token from the device: otpkit confirm ${persistentId} <token>`,
    ]);
    const sent = () => readFileSync(outbox, 'utf8').trim().split('\n').map((line) => /^\+14155550100 Your verification code is (\d{6})$/.exec(line)?.[1]);
    const name = /\((\S+)\)/.exec(lines[0]!)![1];
    expect(await otpkit('-c', 'sms.mjs', 'confirm', persistentId!, sent()[0]!)).toMatchObject({ code: 0, stdout: `Confirmed ${persistentId} (${name}).\n` });
    expect(await otpkit('-c', 'sms.mjs', 'challenge', persistentId!)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(new RegExp(`^${persistentId} \\(${name}\\): .+; valid until \\S+Z\\.\\n$`)),
    });
    expect(await otpkit('-c', 'sms.mjs', 'challenge', persistentId!)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^otpkit: No token was sent: one was sent moments ago; try again after \S+Z \(ERR_CLI_NOT_SENT\)\n$/),
    });
    expect(sent()).toHaveLength(2);
    expect(await otpkit('-c', 'sms.mjs', 'verify', 'alice', sent()[1]!)).toMatchObject({ code: 0, stdout: `Verified: ${persistentId} (${name}).\n` });
  });
});

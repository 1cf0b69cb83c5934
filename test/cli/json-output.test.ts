import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCode, freshTimeStep } from '../../packages/demo/src/test-support/authenticator-app.js';
import { createUsers, runBin, workDir } from '../../packages/cli/src/test-support/run-bin.js';

const sqlite = testBackends().find((backend) => backend.name === 'sqlite')!;

/**
 * An app's setup that warns as it loads: its own log line on `console.log`, knex's warning for a
 * SQLite connection without `useNullAsDefault` (also printed with `console.log`), and no secret
 * keys, which otpkit warns about.
 */
const noisySetup = (outbox: string) => `import { appendFileSync } from 'node:fs';
import knexFactory from 'knex';
import { sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';

console.log('[app] loading the otpkit setup');

export default {
  knex: knexFactory({ client: 'better-sqlite3', connection: { filename: process.env.APP_DB } }),
  devices: [
    totp(),
    staticTokens(),
    sms({ provider: { send: async (to: string, text: string) => appendFileSync(${JSON.stringify(outbox)}, text.replace(/\\D/g, '') + '\\n') } }),
  ],
  audit: { retentionDays: 30 },
};
`;

describe('otpkit --json while the setup and its libraries print warnings', () => {
  let database: TestDatabase;
  const app = workDir('repository');
  const outbox = join(app.path, 'sms.txt');
  const otpkit = (...args: string[]) => runBin([...args, '--json'], { cwd: app.path, env: { APP_DB: (database.config.connection as { filename: string }).filename } });
  const lastSms = () => readFileSync(outbox, 'utf8').trim().split('\n').at(-1)!;

  /** Runs a command with --json: it succeeds, its stdout is one JSON document, and the warnings went to stderr. */
  const json = async (...args: string[]): Promise<Record<string, unknown>> => {
    const result = await otpkit(...args);
    expect(result, args.join(' ')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[[{].*\n$/) });
    expect(result.stderr, args.join(' ')).toContain('[app] loading the otpkit setup\n');
    expect(result.stderr, args.join(' ')).toContain('useNullAsDefault');
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    database = await sqlite.createDatabase();
    await createUsers(database.knex);
    writeFileSync(outbox, '');
    writeFileSync(join(app.path, 'otpkit.config.ts'), noisySetup(outbox));
  });
  afterAll(async () => {
    await database?.destroy();
    app.remove();
  });

  it('prints only JSON on stdout for every command', async () => {
    const migrated = await otpkit('migrate');
    expect(migrated.stderr).toMatch(/otpkit: warning: no secretKeys configured/);
    expect(JSON.parse(migrated.stdout)).toEqual(expect.any(Object));
    const { persistentId: phone } = (await json('enroll', 'sms', 'alice', '--field', 'number=+14155550100')) as { persistentId: string };
    await json('confirm', phone, lastSms());
    await json('challenge', phone);
    await json('verify', 'alice', lastSms());
    const added = (await json('totp', 'add', 'bob')) as { persistentId: string; display: { secret: string } };
    await freshTimeStep();
    await json('totp', 'confirm', added.persistentId, appCode(added.display.secret.replace(/\s/g, '')));
    const { persistentId: app2 } = (await json('enroll', 'totp', 'alice', '--name', 'Spare')) as { persistentId: string };
    await json('devices', 'alice');
    await json('prefer', 'alice', phone);
    await json('addstatictoken', 'alice');
    await json('static', 'generate', 'alice', '-n', '2');
    await json('bootstrap-code', 'alice');
    await json('browsers', 'alice');
    await json('reset', 'alice');
    await json('audit', 'alice');
    await json('check');
    await json('rotate-secrets');
    await json('sweep');
    await json('remove', app2);
  });
});

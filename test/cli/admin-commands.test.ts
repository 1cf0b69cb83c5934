import { userInfo } from 'node:os';
import { decodeBase32, hotpToken } from '@otpkit/core';
import { expect, it } from 'vitest';
import { describeCli } from '../../packages/cli/src/test-support/describe-cli.js';

/** Who the command line says acted: the operating-system user running it. */
const ACTOR = `cli:${userInfo().username}`;

/** An HOTP code of an enrolled device's key. */
const hotpCode = (secret: string, counter: number) => hotpToken(decodeBase32(secret.replace(/ /g, '')), counter, { algorithm: 'sha1', digits: 6 });

interface Row {
  type: string;
  via: string;
  actor: string | null;
  [field: string]: unknown;
}

// Each command runs the binary in a process of its own: the steps are split into short tests that
// share the database in order.
describeCli('otpkit admin commands', { OTP_KEY_1: 'd'.repeat(64), OTPKIT_AUDIT_DAYS: '30' }, (cli) => {
  const { otpkit } = cli;
  /** The user's audit rows, oldest first. */
  const audit = async (username: string): Promise<Row[]> => (JSON.parse((await otpkit('audit', username, '--json')).stdout) as Row[]).reverse();
  const ofType = (rows: readonly Row[], type: string) => rows.filter((row) => row.type === type);
  const devicesOf = async (username: string) => (JSON.parse((await otpkit('devices', username, '--json')).stdout) as { persistentId: string; confirmed: boolean }[]).map((device) => device.persistentId);

  let hotpSecret = '';
  it('(reset, setup) a user throttled after a miss', async () => {
    const { persistentId, display } = JSON.parse((await otpkit('enroll', 'hotp', 'alice', '--json')).stdout) as { persistentId: string; display: { secret: string } };
    hotpSecret = display.secret;
    expect((await otpkit('confirm', persistentId, hotpCode(hotpSecret, 0))).code).toBe(0);
    const wrong = hotpCode(hotpSecret, 1) === '000000' ? '111111' : '000000';
    expect(await otpkit('verify', 'alice', wrong)).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_CLI_TOKEN_REJECTED') });
    // The miss tested 6 HOTP codes (2 units): the next attempt waits 4 + 8 seconds.
    expect(await otpkit('verify', 'alice', hotpCode(hotpSecret, 1))).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_CLI_THROTTLED') });
  });

  it("reset lifts the user's throttle at once, and says when nothing was throttled", async () => {
    const budget = () => cli.database.knex('otp_user_throttle').select('failure_count').where('user_id', '1');
    expect(await budget()).toEqual([{ failure_count: 2 }]);
    expect(await otpkit('reset', 'alice')).toMatchObject({ code: 0, stdout: 'Reset the throttles of alice: they may try again now.\n' });
    expect(await budget()).toEqual([{ failure_count: 0 }]);
    expect(await otpkit('verify', 'alice', hotpCode(hotpSecret, 1))).toMatchObject({ code: 0 });
    expect(await otpkit('reset', 'alice')).toMatchObject({ code: 0, stdout: 'alice was not throttled; nothing to reset.\n' });
    expect(await otpkit('reset', 'alice', '--json')).toMatchObject({ code: 0, stdout: '{"cleared":false}\n' });
    expect(await otpkit('reset', 'nobody')).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_CLI_UNKNOWN_USER') });
  });

  it('audits each reset once, and every change the command line made, with the operating-system user as the actor', async () => {
    const rows = await audit('alice');
    expect(ofType(rows, 'throttleReset').map(({ via, actor, cleared }) => ({ via, actor, cleared }))).toEqual([
      { via: 'cli', actor: ACTOR, cleared: true },
      { via: 'cli', actor: ACTOR, cleared: false },
      { via: 'cli', actor: ACTOR, cleared: false },
    ]);
    expect(rows.map((row) => `${row.type} ${row.actor}`)).toEqual(
      ['deviceAdded', 'deviceConfirmed', 'failed', 'throttled', 'throttleReset', 'verified', 'throttleReset', 'throttleReset'].map((type) => `${type} ${ACTOR}`),
    );
    const human = (await otpkit('audit', 'alice', '--limit', '1')).stdout;
    expect(human).toMatch(new RegExp(`^\\d+  \\S+  throttleReset  -  via cli by ${ACTOR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  cleared=false\\n$`));
  });

  let backup = '';
  let bobsCode = '';
  it("prefer refuses a device that is not one of the user's confirmed second-factor devices", async () => {
    bobsCode = (await otpkit('addstatictoken', 'bob')).stdout.trim();
    backup = (await devicesOf('bob'))[0]!;
    const pending = (JSON.parse((await otpkit('enroll', 'hotp', 'bob', '--json')).stdout) as { persistentId: string }).persistentId;
    const [alices] = await devicesOf('alice');
    for (const refused of [pending, alices!]) {
      expect(await otpkit('prefer', 'bob', refused)).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_OTP_INVALID_INPUT') });
    }
  });

  it('prefer sets and clears the device the user is asked for first', async () => {
    expect(await otpkit('prefer', 'bob', backup)).toMatchObject({ code: 0, stdout: `bob is asked for ${backup} first.\n` });
    expect(await otpkit('prefer', 'bob', backup, '--json')).toMatchObject({ code: 0, stdout: `{"preferredDevice":"${backup}"}\n` });
    expect(await cli.database.knex('otp_user_setting').select('preferred_device').where('user_id', '2')).toEqual([{ preferred_device: backup }]);
    expect(await otpkit('prefer', 'bob', 'none')).toMatchObject({ code: 0, stdout: 'bob has no preferred device.\n' });
    expect(await cli.database.knex('otp_user_setting').select('preferred_device').where('user_id', '2')).toEqual([{ preferred_device: null }]);
    expect(await otpkit('prefer', 'bob')).toMatchObject({ code: 2 });
  });

  it('audits each change of the preferred device once, with the actor; the preferred device still verifies', async () => {
    const changes = ofType(await audit('bob'), 'preferredDeviceChanged');
    expect(changes.map(({ deviceId, via, actor }) => ({ deviceId, via, actor }))).toEqual([
      { deviceId: backup, via: 'cli', actor: ACTOR },
      { deviceId: null, via: 'cli', actor: ACTOR },
    ]);
    expect(await otpkit('verify', 'bob', bobsCode)).toMatchObject({ code: 0 });
  });

  const issued: string[] = [];
  it('bootstrap-code prints one single-use code, for a user without devices too', async () => {
    await cli.database.knex('users').insert({ username: 'carol', email: 'carol@example.com' });
    const first = await otpkit('bootstrap-code', 'carol');
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}\n$/) });
    issued.push(first.stdout.trim(), (JSON.parse((await otpkit('bootstrap-code', 'carol', '--json')).stdout) as { code: string }).code);
    expect(issued[1]).not.toBe(issued[0]);
    expect(await otpkit('verify', 'carol', issued[0]!)).toMatchObject({ code: 0 });
    expect(await otpkit('verify', 'carol', issued[0]!)).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_CLI_TOKEN_REJECTED') });
  });

  it('audits each bootstrap code as exactly one backupCodeAdded with the actor, never the code', async () => {
    expect(await otpkit('bootstrap-code', 'nobody')).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_CLI_UNKNOWN_USER') });
    const rows = await audit('carol');
    expect(rows.map((row) => `${row.type} ${row.actor}`)).toEqual(['deviceAdded', 'backupCodeAdded', 'backupCodeAdded', 'verified', 'failed'].map((type) => `${type} ${ACTOR}`));
    const written = JSON.stringify(await cli.database.knex('otp_audit_event'));
    for (const code of issued) expect(written).not.toContain(code.replaceAll('-', ''));
  });
}, 'repository');

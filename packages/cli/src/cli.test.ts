import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeCli } from './test-support/describe-cli.js';

describeCli('otpkit commands', { OTP_KEY_1: randomBytes(32).toString('base64') }, (cli) => {
  const { otpkit } = cli;

  it('migrates the tables of core and of the default plugins, and migrating again changes nothing', async () => {
    for (const table of ['otp_user_throttle', 'otp_totp_device', 'otp_hotp_device', 'otp_static_device', 'otp_static_token']) {
      expect(await cli.database.knex.schema.hasTable(table)).toBe(true);
    }
    expect(await otpkit('migrate', '--json')).toMatchObject({ code: 0, stdout: '{"migrated":true,"devices":["totp","hotp","static"]}\n' });
  });

  it('adds a random backup code, creating the "Backup Code" device once, and the code verifies once', async () => {
    const first = await otpkit('addstatictoken', 'alice');
    const second = await otpkit('addstatictoken', 'alice');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\n$/);
    const devices = JSON.parse((await otpkit('devices', 'alice', '--json')).stdout) as { name: string; confirmed: boolean }[];
    expect(devices).toEqual([expect.objectContaining({ name: 'Backup Code', confirmed: true })]);

    expect(await otpkit('verify', 'alice', first.stdout.trim().toUpperCase())).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Verified: static\/\d+ \(Backup Code\)\.\n$/) });
    expect(await otpkit('verify', 'alice', first.stdout.trim())).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'otpkit: The token was not accepted (ERR_CLI_TOKEN_REJECTED)\n',
    });
    // The miss counts against alice's budget: 1 s (factor · 2^0) before the next attempt.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await otpkit('verify', 'alice', second.stdout.trim())).code).toBe(0);
  });

  it('adds the code given with -t, as django-otp does, and refuses the same code twice', async () => {
    expect(await otpkit('addstatictoken', '-t', 'letmein42', 'bob')).toMatchObject({ code: 0, stdout: 'letmein42\n' });
    expect(await otpkit('addstatictoken', 'bob', '--token', 'letmein42', '--json')).toMatchObject({
      code: 1,
      stderr: '{"error":{"code":"ERR_OTP_INVALID_INPUT","message":"The device already has this backup code"}}\n',
    });
    expect(await otpkit('verify', 'bob', 'letmein42', '--json')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('"verified":true'),
    });
  });

  it('lists devices as aligned lines and removes one by persistent id', async () => {
    await otpkit('addstatictoken', 'bob');
    const listed = await otpkit('devices', 'bob');
    expect(listed.stdout).toMatch(/^static\/\d+ +Backup Code +confirmed +created \d{4}-\d\d-\d\dT[\d:.]+Z +last used /);
    const persistentId = listed.stdout.split(' ')[0]!;

    expect(await otpkit('remove', persistentId)).toMatchObject({ code: 0, stdout: `Removed ${persistentId} (Backup Code).\n` });
    expect(await otpkit('devices', 'bob')).toMatchObject({ code: 0, stdout: 'bob has no devices.\n' });
    expect(await otpkit('remove', persistentId)).toMatchObject({ code: 1, stderr: 'otpkit: No such device (ERR_OTP_DEVICE_NOT_FOUND)\n' });
  });

  it('rotates secrets under the newest key and reports it', async () => {
    const rotated = await otpkit('rotate-secrets', '--json');
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ keyId: '1' });
  });

  it('sweeps expired enrolments and reports how many it deleted', async () => {
    const swept = await otpkit('sweep', '--json');
    expect(swept.code).toBe(0);
    expect(JSON.parse(swept.stdout)).toEqual({ deleted: 0, auditEvents: 0 });
  });

  it('checks stored secrets: exit 0 when every one is usable, 1 with the report when one is not', async () => {
    await otpkit('addstatictoken', 'alice');
    expect(await otpkit('check', '--json')).toMatchObject({ code: 0, stdout: '{"problems":[]}\n' });
    const { id } = await cli.database.knex('otp_static_token').first('id');
    await cli.database.knex('otp_static_token').where({ id }).update({ token_hash: `sha256$${'A'.repeat(43)}` });
    const checked = await otpkit('check', '--json');
    expect(checked.code).toBe(1);
    expect(JSON.parse(checked.stdout)).toEqual({
      problems: [{ table: 'otp_static_token', column: 'token_hash', id: Number(id), userId: expect.any(String), problem: 'unkeyed_digest' }],
    });
    expect(await otpkit('check')).toMatchObject({ code: 1, stdout: expect.stringMatching(/^otp_static_token\.token_hash row \d+ \(user "\d+"\): unkeyed_digest\n$/) });
    expect(await otpkit('rotate-secrets')).toMatchObject({ code: 0 });
    expect(await otpkit('check')).toMatchObject({ code: 0, stdout: 'Every stored secret opens with the configured keys.\n' });
  });

  it('fails with one line and exit code 1 for an unknown user, a malformed token and an unknown device', async () => {
    expect(await otpkit('devices', 'mallory')).toEqual({ code: 1, stdout: '', stderr: 'otpkit: No user "mallory" (ERR_CLI_UNKNOWN_USER)\n' });
    expect(await otpkit('verify', 'alice', '12;34')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'otpkit: A token is 1 to 64 letters and digits (spaces and dashes allowed) (ERR_OTP_INVALID_INPUT)\n',
    });
    expect(await otpkit('remove', 'nonsense')).toMatchObject({ code: 1, stderr: 'otpkit: No such device (ERR_OTP_DEVICE_NOT_FOUND)\n' });
  });
});

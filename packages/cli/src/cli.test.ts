import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeCli } from './test-support/describe-cli.js';

/** What DATABASE_URL mode says on stderr, before any failure, about the plugins it found. */
const found = 'otpkit: device plugins from node_modules: counter (otpkit-counter)\n';

/** The token a counter device accepts after `uses` successes, from the token its enrolment showed. */
const later = (nextToken: string, uses: number) => `${nextToken.slice(0, -1)}${uses}`;

describeCli('otpkit commands', { OTP_KEY_1: randomBytes(32).toString('base64') }, (cli) => {
  const { otpkit } = cli;

  it('migrates the tables of core and of the installed plugins, names them on stderr, and migrating again changes nothing', async () => {
    for (const table of ['otp_user_throttle', 'otp_counter_device']) expect(await cli.database.knex.schema.hasTable(table)).toBe(true);
    expect(await otpkit('migrate', '--json')).toEqual({ code: 0, stdout: '{"migrated":true,"devices":["counter"]}\n', stderr: '' });
    expect(await otpkit('migrate')).toEqual({
      code: 0,
      stdout: 'Migrated otpkit (devices: counter).\n',
      stderr: found,
    });
  });

  it("enrols a device of any installed plugin, prints what its plugin shows once, and confirms it with the device's token", async () => {
    const enrolled = await otpkit('enroll', 'counter', 'alice', '--name', 'Key ring');
    expect(enrolled.code).toBe(0);
    const [head, token, created, confirm, ...rest] = enrolled.stdout.split('\n');
    const persistentId = /^Enrolled (counter\/\d+) \(Key ring\), unconfirmed\.$/.exec(head!)?.[1];
    expect(persistentId).toBeDefined();
    expect(token).toMatch(/^Next token: [0-9A-F]{12}0$/);
    expect(created).toMatch(/^Created at: \d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(confirm).toBe(`Confirm it with a token from the device: otpkit confirm ${persistentId} <token>`);
    expect(rest).toEqual(['']); // the picture (a data: URL) is for web pages, not the terminal
    const nextToken = token!.slice('Next token: '.length);

    expect(JSON.parse((await otpkit('devices', 'alice', '--json')).stdout)).toEqual([expect.objectContaining({ persistentId, type: 'counter', confirmed: false })]);
    expect(await otpkit('confirm', persistentId!, '12;34')).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_OTP_INVALID_INPUT') });
    expect(await otpkit('confirm', persistentId!, nextToken)).toEqual({ code: 0, stdout: `Confirmed ${persistentId} (Key ring).\n`, stderr: found });
    expect(await otpkit('verify', 'alice', later(nextToken, 1))).toMatchObject({ code: 0, stdout: `Verified: ${persistentId} (Key ring).\n` });
    expect(await otpkit('verify', 'alice', later(nextToken, 1), '--json')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: '{"error":{"code":"ERR_CLI_TOKEN_REJECTED","message":"The token was not accepted"}}\n',
    });
  });

  it('prints the display as JSON with --json, and takes the plugin input from --field key=value and key:=json', async () => {
    const enrolled = await otpkit('enroll', 'counter', 'bob', '--field', 'colour=blue', '--field', 'spare:=true', '--json');
    expect(enrolled).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(enrolled.stdout)).toEqual({
      persistentId: expect.stringMatching(/^counter\/\d+$/),
      type: 'counter',
      name: 'Counter',
      confirmed: false,
      existing: false,
      display: { nextToken: expect.stringMatching(/^[0-9A-F]{12}0$/), createdAt: expect.any(Number), picture: expect.stringMatching(/^data:/) },
    });
    const row = await cli.database.knex('otp_counter_device').where('id', Number(JSON.parse(enrolled.stdout).persistentId.split('/')[1])).first();
    expect(row.secret).toMatch(/^otpkit\$2\$1\$/); // shown once, sealed at rest
    expect(await otpkit('enroll', 'counter', 'bob', '--field', 'colour')).toMatchObject({ code: 2, stderr: expect.stringContaining('key=value (a string) or key:=json') });
    expect(await otpkit('enroll', 'counter', 'bob', '--field', 'spare:=yes')).toMatchObject({ code: 2, stderr: expect.stringContaining('the value of spare is not JSON') });
    expect(await otpkit('enroll', 'counter', 'bob', '--field', '__proto__:={}')).toMatchObject({ code: 2 });
    expect(await otpkit('enroll', 'totp', 'bob')).toMatchObject({ code: 1, stderr: `${found}otpkit: device type "totp" is not configured (ERR_OTP_CONFIGURATION)\n` });
  });

  it('lists devices as aligned lines and removes one by persistent id', async () => {
    const persistentId = JSON.parse((await otpkit('enroll', 'counter', 'bob', '--name', 'Spare', '--json')).stdout).persistentId as string;
    const listed = await otpkit('devices', 'bob');
    expect(listed.stdout).toMatch(/^counter\/\d+ +Spare +unconfirmed +second factor +created \d{4}-\d\d-\d\dT[\d:.]+Z +last used never\n$/);
    expect(await otpkit('remove', persistentId)).toMatchObject({ code: 0, stdout: `Removed ${persistentId} (Spare).\n` });
    expect(await otpkit('devices', 'bob')).toMatchObject({ code: 0, stdout: 'bob has no devices.\n' });
    expect(await otpkit('remove', persistentId)).toMatchObject({ code: 1, stderr: `${found}otpkit: No such device (ERR_OTP_DEVICE_NOT_FOUND)\n` });
  });

  it('bootstrap-code names the fix when no configured plugin issues single-use codes', async () => {
    expect(await otpkit('bootstrap-code', 'bob')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `${found}otpkit: no configured device plugin issues single-use codes: configure backup codes (@otpkit/static) (ERR_OTP_CONFIGURATION)\n`,
    });
  });

  it('refuses to challenge a device that shows its tokens itself', async () => {
    const persistentId = JSON.parse((await otpkit('enroll', 'counter', 'bob', '--json')).stdout).persistentId as string;
    expect(await otpkit('challenge', persistentId)).toMatchObject({ code: 1, stderr: `${found}otpkit: No token was sent: this device shows its tokens itself (ERR_CLI_NOT_SENT)\n` });
    expect(await otpkit('challenge', 'counter/999999')).toMatchObject({ code: 1, stderr: `${found}otpkit: No such device (ERR_OTP_DEVICE_NOT_FOUND)\n` });
  });

  it('checks stored secrets: exit 0 when every one is usable, 1 with the report when one is not, until rotate-secrets seals it', async () => {
    expect(await otpkit('check', '--json')).toMatchObject({ code: 0, stdout: '{"problems":[]}\n' });
    const { id } = await cli.database.knex('otp_counter_device').first('id');
    await cli.database.knex('otp_counter_device').where({ id }).update({ secret: 'ABCDEF123456' });
    const checked = await otpkit('check', '--json');
    expect(checked.code).toBe(1);
    expect(JSON.parse(checked.stdout)).toEqual({ problems: [{ table: 'otp_counter_device', column: 'secret', id: Number(id), userId: expect.any(String), problem: 'plaintext' }] });
    expect(await otpkit('check')).toMatchObject({ code: 1, stdout: expect.stringMatching(/^otp_counter_device\.secret row \d+ \(user "\d+"\): plaintext\n$/) });
    const rotated = await otpkit('rotate-secrets', '--json');
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toEqual({ rewritten: expect.any(Number), keyId: '1' });
    expect(await otpkit('check')).toMatchObject({ code: 0, stdout: 'Every stored secret opens with the configured keys.\n' });
  });

  it('sweeps expired enrolments and reports how many it deleted', async () => {
    expect(await otpkit('sweep', '--json')).toMatchObject({ code: 0, stdout: '{"deleted":0,"auditEvents":0}\n' });
  });

  it('fails with one line and exit code 1 for an unknown user, a malformed token and an unknown device', async () => {
    expect(await otpkit('devices', 'mallory')).toEqual({ code: 1, stdout: '', stderr: `${found}otpkit: No user "mallory" (ERR_CLI_UNKNOWN_USER)\n` });
    expect(await otpkit('enroll', 'counter', 'mallory', '--json')).toEqual({ code: 1, stdout: '', stderr: '{"error":{"code":"ERR_CLI_UNKNOWN_USER","message":"No user \\"mallory\\""}}\n' });
    expect(await otpkit('verify', 'alice', '12;34')).toEqual({
      code: 1,
      stdout: '',
      stderr: `${found}otpkit: A token is 1 to 64 letters and digits (spaces and dashes allowed) (ERR_OTP_INVALID_INPUT)\n`,
    });
    expect(await otpkit('remove', 'nonsense')).toMatchObject({ code: 1, stderr: `${found}otpkit: No such device (ERR_OTP_DEVICE_NOT_FOUND)\n` });
  });
});

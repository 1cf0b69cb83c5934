import { describe, expect, it } from 'vitest';
import { appCode as oathtool, freshTimeStep } from '../../demo/src/test-support/authenticator-app.js';
import { describeCli } from './test-support/describe-cli.js';
import { haveTools } from '../../../test/support/external-tools.js';

describe.runIf(haveTools('oathtool'))('with oathtool', () => {
  describeCli('otpkit totp and static commands', { OTP_KEY_1: 'a'.repeat(64), OTPKIT_ISSUER: 'Acme' }, (cli) => {
    const { otpkit } = cli;

    it('adds an unconfirmed TOTP device with a QR code and Key-URI; only a code from the app confirms it', async () => {
      const added = await otpkit('totp', 'add', 'alice', '--name', 'Phone');
      expect(added.code).toBe(0);
      const lines = added.stdout.split('\n');
      expect(lines[0]).toMatch(/^Created totp\/\d+ \(Phone\), unconfirmed\. /);
      expect(added.stdout).toMatch(/[█▀▄]{10}/);
      const uri = new URL(lines.find((line) => line.startsWith('otpauth://'))!);
      expect(uri.pathname).toBe('/Acme:alice');
      const key = uri.searchParams.get('secret')!;
      expect(added.stdout).toContain(`Key: ${key.match(/.{1,4}/g)!.join(' ')}\n`);
      const persistentId = lines[0]!.split(' ')[1]!;

      expect(await otpkit('verify', 'alice', oathtool(key))).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_CLI_TOKEN_REJECTED') });
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // alice's budget: 1 s after one miss
      expect(await otpkit('totp', 'confirm', persistentId, '12;34')).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_OTP_INVALID_INPUT') });
      await freshTimeStep();
      expect(await otpkit('totp', 'confirm', persistentId, oathtool(key))).toMatchObject({ code: 0, stdout: `Confirmed ${persistentId} (Phone).\n` });
      expect(await otpkit('verify', 'alice', oathtool(key, 30))).toMatchObject({ code: 0, stdout: `Verified: ${persistentId} (Phone).\n` });
    });

    it('prints the key sealed at rest only to the terminal, and --json gives the enrolment data', async () => {
      const added = JSON.parse((await otpkit('totp', 'add', 'bob', '--json')).stdout) as { persistentId: string; uri: string; key: string; confirmed: boolean; name: string };
      expect(added).toMatchObject({ name: 'Authenticator', confirmed: false, uri: expect.stringMatching(/^otpauth:\/\/totp\//) });
      const row = await cli.database.knex('otp_totp_device').where('id', Number(added.persistentId.split('/')[1])).first();
      expect(row.key).toMatch(/^otpkit\$2\$1\$/);
      expect(await otpkit('totp', 'confirm', 'static/1', '123456')).toMatchObject({ code: 1, stderr: 'otpkit: No such device (ERR_OTP_DEVICE_NOT_FOUND)\n' });
    });

    it('generates a fresh set of backup codes, replacing the previous set', async () => {
      const first = await otpkit('static', 'generate', 'bob', '-n', '3');
      expect(first.code).toBe(0);
      const codes = first.stdout.trim().split('\n');
      expect(codes).toHaveLength(3);
      const second = JSON.parse((await otpkit('static', 'generate', 'bob', '--json')).stdout) as { codes: string[] };
      expect(second.codes).toHaveLength(10);
      expect(await otpkit('verify', 'bob', codes[0]!)).toMatchObject({ code: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await otpkit('verify', 'bob', second.codes[0]!)).toMatchObject({ code: 0, stdout: expect.stringContaining('(Backup Code)') });
      expect(await otpkit('static', 'generate', 'bob', '-n', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('a number from 1 to 100') });
    });
  });
});

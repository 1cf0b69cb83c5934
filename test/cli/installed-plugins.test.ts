import { describe, expect, it } from 'vitest';
import { appCode as oathtool, freshTimeStep } from '../../packages/demo/src/test-support/authenticator-app.js';
import { describeCli } from '../../packages/cli/src/test-support/describe-cli.js';
import { haveTools } from '../support/external-tools.js';

/** What DATABASE_URL mode says on stderr with otpkit's own packages installed. */
const found =
  'otpkit: device plugins from node_modules: hotp (@otpkit/hotp), static (@otpkit/static), totp (@otpkit/totp)\n' +
  'otpkit: left out, they need options: email (@otpkit/email), sms (@otpkit/sms), ' +
  'webauthn (@otpkit/webauthn, or set OTPKIT_WEBAUTHN_RP_NAME, OTPKIT_WEBAUTHN_RP_ID, OTPKIT_WEBAUTHN_ORIGINS); configure them in otpkit.config.js (see otpkit --help)\n';

/** Waits out the user's guessing budget after one miss (2 s, the default factor). */
const budget = () => new Promise((resolve) => setTimeout(resolve, 2_100));

describeCli(
  "otpkit on DATABASE_URL with otpkit's plugin packages installed",
  { OTP_KEY_1: 'a'.repeat(64), OTPKIT_ISSUER: 'Acme' },
  (cli) => {
    const { otpkit } = cli;

    it('migrates the tables of TOTP, HOTP and backup codes, leaves email and SMS to a configuration file, and WebAuthn to its variables', async () => {
      for (const table of ['otp_totp_device', 'otp_hotp_device', 'otp_static_device', 'otp_static_token']) {
        expect(await cli.database.knex.schema.hasTable(table)).toBe(true);
      }
      expect(await otpkit('migrate')).toEqual({ code: 0, stdout: 'Migrated otpkit (devices: hotp, static, totp).\n', stderr: found });
    });

    it('adds a random backup code with addstatictoken, creating the "Backup Code" device once, and the code verifies once', async () => {
      const first = await otpkit('addstatictoken', 'alice');
      const second = await otpkit('addstatictoken', 'alice');
      expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\n$/) });
      const devices = JSON.parse((await otpkit('devices', 'alice', '--json')).stdout) as { name: string; confirmed: boolean }[];
      expect(devices).toEqual([expect.objectContaining({ type: 'static', name: 'Backup Code', confirmed: true })]);
      expect(await otpkit('verify', 'alice', first.stdout.trim().toUpperCase())).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Verified: static\/\d+ \(Backup Code\)\.\n$/) });
      expect(await otpkit('verify', 'alice', first.stdout.trim())).toMatchObject({ code: 1, stdout: '', stderr: `${found}otpkit: The token was not accepted (ERR_CLI_TOKEN_REJECTED)\n` });
      // Backup codes are unguessable: a miss is not charged, so the next code works at once.
      expect((await otpkit('verify', 'alice', second.stdout.trim())).code).toBe(0);
    });

    it('adds the code given with -t, as django-otp does, and refuses the same code twice', async () => {
      expect(await otpkit('addstatictoken', '-t', 'letmein42', 'bob')).toMatchObject({ code: 0, stdout: 'letmein42\n' });
      expect(await otpkit('addstatictoken', 'bob', '--token', 'letmein42', '--json')).toMatchObject({
        code: 1,
        stderr: '{"error":{"code":"ERR_OTP_INVALID_INPUT","message":"The device already has this backup code"}}\n',
      });
      expect(await otpkit('verify', 'bob', 'letmein42', '--json')).toMatchObject({ code: 0, stdout: expect.stringContaining('"verified":true') });
    });

    it('generates a fresh set of backup codes with static generate, one a line, replacing the previous set', async () => {
      const first = await otpkit('static', 'generate', 'bob', '-n', '3');
      expect(first.code).toBe(0);
      const codes = first.stdout.trim().split('\n');
      expect(codes).toHaveLength(3);
      const second = JSON.parse((await otpkit('static', 'generate', 'bob', '--json')).stdout) as { existing: boolean; display: { codes: string[] } };
      expect(second).toMatchObject({ type: 'static', existing: true });
      expect(second.display.codes).toHaveLength(10);
      expect(await otpkit('verify', 'bob', codes[0]!)).toMatchObject({ code: 1 });
      expect(await otpkit('verify', 'bob', second.display.codes[0]!)).toMatchObject({ code: 0, stdout: expect.stringContaining('(Backup Code)') });
      expect(await otpkit('static', 'generate', 'bob', '-n', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('a number from 1 to 100') });
    });

    it('enrols a counter token with enroll hotp and --field, printing its QR code, Key-URI and key', async () => {
      const enrolled = await otpkit('enroll', 'hotp', 'bob', '--name', 'Key fob', '--field', 'digits:=8');
      expect(enrolled.code).toBe(0);
      const lines = enrolled.stdout.split('\n');
      expect(lines[0]).toMatch(/^Enrolled hotp\/\d+ \(Key fob\), unconfirmed\.$/);
      expect(enrolled.stdout).toMatch(/[█▀▄]{10}/);
      const uri = new URL(lines.find((line) => line.startsWith('otpauth://'))!);
      expect([uri.host, uri.pathname, uri.searchParams.get('digits'), uri.searchParams.get('issuer')]).toEqual(['hotp', '/Acme:bob', '8', 'Acme']);
      expect(lines).toContain(`Secret: ${uri.searchParams.get('secret')!.match(/.{1,4}/g)!.join(' ')}`);
    });

    it('checks stored backup-code digests, and rotate-secrets keys an unkeyed one', async () => {
      expect(await otpkit('check', '--json')).toMatchObject({ code: 0, stdout: '{"problems":[]}\n' });
      const { id } = await cli.database.knex('otp_static_token').first('id');
      await cli.database.knex('otp_static_token').where({ id }).update({ token_hash: `sha256$${'A'.repeat(43)}` });
      const checked = await otpkit('check', '--json');
      expect(checked.code).toBe(1);
      expect(JSON.parse(checked.stdout)).toEqual({
        problems: [{ table: 'otp_static_token', column: 'token_hash', id: Number(id), userId: expect.any(String), problem: 'unkeyed_digest' }],
      });
      expect(await otpkit('rotate-secrets')).toMatchObject({ code: 0 });
      expect(await otpkit('check')).toMatchObject({ code: 0, stdout: 'Every stored secret opens with the configured keys.\n' });
    });

    describe.runIf(haveTools('oathtool'))('with oathtool', () => {
      it('adds an unconfirmed TOTP device with totp add; only a code from the app confirms it', async () => {
        const added = await otpkit('totp', 'add', 'alice', '--name', 'Phone');
        expect(added.code).toBe(0);
        const lines = added.stdout.split('\n');
        expect(lines[0]).toMatch(/^Enrolled totp\/\d+ \(Phone\), unconfirmed\.$/);
        expect(added.stdout).toMatch(/[█▀▄]{10}/);
        const uri = new URL(lines.find((line) => line.startsWith('otpauth://'))!);
        expect(uri.pathname).toBe('/Acme:alice');
        const key = uri.searchParams.get('secret')!;
        expect(added.stdout).toContain(`Secret: ${key.match(/.{1,4}/g)!.join(' ')}\n`);
        const persistentId = lines[0]!.split(' ')[1]!;
        expect(lines.at(-2)).toBe(`Confirm it with a token from the device: otpkit confirm ${persistentId} <token>`);

        expect(await otpkit('verify', 'alice', oathtool(key))).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_CLI_TOKEN_REJECTED') });
        await budget();
        expect(await otpkit('totp', 'confirm', persistentId, '12;34')).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_OTP_INVALID_INPUT') });
        await freshTimeStep();
        expect(await otpkit('totp', 'confirm', persistentId, oathtool(key))).toMatchObject({ code: 0, stdout: `Confirmed ${persistentId} (Phone).\n` });
        expect(await otpkit('verify', 'alice', oathtool(key, 30))).toMatchObject({ code: 0, stdout: `Verified: ${persistentId} (Phone).\n` });
      });

      it('enroll totp --json gives the display with its QR images, the key stays sealed at rest, and totp confirm takes TOTP devices only', async () => {
        const added = JSON.parse((await otpkit('enroll', 'totp', 'bob', '--json')).stdout) as { persistentId: string; display: Record<string, string> };
        expect(added).toMatchObject({ type: 'totp', name: 'Authenticator', confirmed: false, existing: false });
        expect(added.display).toEqual({
          otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\/Acme:bob\?/),
          secret: expect.stringMatching(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/),
          qrSvg: expect.stringContaining('<svg'),
          qrPng: expect.stringMatching(/^data:image\/png;base64,/),
        });
        const row = await cli.database.knex('otp_totp_device').where('id', Number(added.persistentId.split('/')[1])).first();
        expect(row.key).toMatch(/^otpkit\$2\$1\$/);
        const backupCodes = JSON.parse((await otpkit('devices', 'bob', '--json')).stdout).find((device: { type: string }) => device.type === 'static');
        expect(await otpkit('totp', 'confirm', backupCodes.persistentId, '123456')).toMatchObject({ code: 1, stderr: `${found}otpkit: No such device (ERR_OTP_DEVICE_NOT_FOUND)\n` });
      });
    });
  },
  'repository',
);

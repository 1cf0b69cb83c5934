import { createOtp, type DevicePurpose, type Otp } from '@otpkit/core';
import { FakeClock } from '@otpkit/core/testing';
import { webauthn, type WebAuthnDevice } from '@otpkit/webauthn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCli } from '../../packages/cli/src/test-support/describe-cli.js';
import { runBin, workDir } from '../../packages/cli/src/test-support/run-bin.js';
import { freshAssertion } from '../../packages/webauthn/src/test-support/enrol-credential.js';
import { SOFT_AAGUID, SoftAuthenticator } from '../../packages/webauthn/src/test-support/soft-authenticator.js';

const RELYING_PARTY = { rpName: 'Acme', rpID: 'acme.example', origins: 'https://acme.example' };
const KEY = 'c'.repeat(64);
/** The AAGUID iCloud Keychain reports for a synced passkey. */
const ICLOUD_KEYCHAIN = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';
/** An authenticator model no list names. */
const UNKNOWN_MODEL = '0badc0de-1234-4abc-8def-0123456789ab';

/** What DATABASE_URL mode says on stderr with the relying party in the environment. */
const found =
  'otpkit: device plugins from node_modules: hotp (@otpkit/hotp), static (@otpkit/static), totp (@otpkit/totp), webauthn (@otpkit/webauthn)\n' +
  'otpkit: left out, they need options: email (@otpkit/email), sms (@otpkit/sms); configure them in otpkit.config.js (see otpkit --help)\n';

describeCli(
  'otpkit on DATABASE_URL with WebAuthn devices',
  { OTP_KEY_1: KEY, OTPKIT_WEBAUTHN_RP_NAME: 'Acme', OTPKIT_WEBAUTHN_RP_ID: 'acme.example', OTPKIT_WEBAUTHN_ORIGINS: 'https://acme.example' },
  (cli) => {
    const { otpkit } = cli;
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 4, 10));
    const authenticator = new SoftAuthenticator();
    let otp: Otp;
    let userId: string;

    /** Imports a credential of the soft authenticator, as moved from another system, for alice (for `purpose`, else WebAuthn's default). */
    const importCredential = async (name: string, extra: { aaguid: string; discoverable: boolean; backedUp: boolean }, purpose?: DevicePurpose) => {
      const credential = authenticator.createCredential('acme.example', Buffer.from(`${name}-handle`).toString('base64url'));
      const input = { name, confirmed: true, credential: { ...credential, ...extra }, ...(purpose === undefined ? {} : { purpose }) };
      return (await otp.createDevice('webauthn', userId, input)) as unknown as WebAuthnDevice;
    };

    beforeAll(async () => {
      otp = createOtp({ knex: cli.database.knex, devices: [webauthn(RELYING_PARTY)], clock: clock.now, secretKeys: { '1': KEY } });
      userId = String((await cli.database.knex('users').where({ username: 'alice' }).first('id')).id);
    });

    it('migrates the WebAuthn tables when the environment names the relying party', async () => {
      for (const table of ['otp_webauthn_device', 'otp_webauthn_ceremony']) expect(await cli.database.knex.schema.hasTable(table)).toBe(true);
      expect(await otpkit('migrate')).toEqual({ code: 0, stdout: 'Migrated otpkit (devices: hotp, static, totp, webauthn).\n', stderr: found });
    });

    it('lists WebAuthn devices with their purpose, authenticator model, passkey and backup flags, in text and in JSON', async () => {
      const key = await importCredential('Office key', { aaguid: SOFT_AAGUID, discoverable: false, backedUp: false }, 'second-factor');
      clock.advanceSeconds(60);
      const phone = await importCredential('Phone', { aaguid: ICLOUD_KEYCHAIN, discoverable: true, backedUp: true });
      const spare = await importCredential('Spare key', { aaguid: UNKNOWN_MODEL, discoverable: true, backedUp: false });
      const assertion = await freshAssertion(otp, key, authenticator);
      clock.advanceSeconds(30);
      expect(await otp.verifyToken(userId, key.persistentId, assertion)).not.toBeNull();

      const listed = await otpkit('devices', 'alice');
      expect(listed).toMatchObject({ code: 0, stderr: found });
      expect(listed.stdout.split('\n')).toEqual([
        `${key.persistentId}  Office key  confirmed  second factor            created 2026-11-22T04:10:00.000Z  last used 2026-11-22T04:11:30.000Z  authenticator YubiKey 5 Series`,
        `${phone.persistentId}  Phone       confirmed  login and second factor  created 2026-11-22T04:11:00.000Z  last used never                     authenticator iCloud Keychain, passkey, backed up`,
        `${spare.persistentId}  Spare key   confirmed  login and second factor  created 2026-11-22T04:11:00.000Z  last used never                     authenticator ${UNKNOWN_MODEL}, passkey`,
        '',
      ]);
      expect(JSON.parse((await otpkit('devices', 'alice', '--json')).stdout)).toEqual([
        { persistentId: key.persistentId, type: 'webauthn', name: 'Office key', confirmed: true, purpose: 'second-factor', createdAt: '2026-11-22T04:10:00.000Z', lastUsedAt: '2026-11-22T04:11:30.000Z', details: { authenticator: 'YubiKey 5 Series', passkey: false, backedUp: false } },
        { persistentId: phone.persistentId, type: 'webauthn', name: 'Phone', confirmed: true, purpose: 'both', createdAt: '2026-11-22T04:11:00.000Z', lastUsedAt: null, details: { authenticator: 'iCloud Keychain', passkey: true, backedUp: true } },
        { persistentId: spare.persistentId, type: 'webauthn', name: 'Spare key', confirmed: true, purpose: 'both', createdAt: '2026-11-22T04:11:00.000Z', lastUsedAt: null, details: { authenticator: UNKNOWN_MODEL, passkey: true, backedUp: false } },
      ]);
    });

    it('removes a WebAuthn device by persistent id: its credential no longer verifies', async () => {
      const lost = await importCredential('Lost key', { aaguid: SOFT_AAGUID, discoverable: false, backedUp: false });
      const assertion = await freshAssertion(otp, lost, authenticator);

      expect(await otpkit('remove', lost.persistentId)).toEqual({ code: 0, stdout: `Removed ${lost.persistentId} (Lost key).\n`, stderr: found });
      expect(await cli.database.knex('otp_webauthn_device').where({ id: lost.id }).first()).toBeUndefined();
      expect((await otpkit('devices', 'alice')).stdout).not.toContain('Lost key');
      expect(await otp.verify(userId, lost.persistentId, assertion)).toEqual({ ok: false, reason: 'no_device' });
      expect(await otpkit('remove', lost.persistentId)).toMatchObject({ code: 1, stderr: `${found}otpkit: No such device (ERR_OTP_DEVICE_NOT_FOUND)\n` });
    });

    it('refuses to register or challenge a WebAuthn device, which only a browser can answer, and imports a credential instead', async () => {
      const refused = await otpkit('enroll', 'webauthn', 'alice');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("webauthn devices are registered in a browser (your site's pages or its JSON API)");
      expect(refused.stderr).toContain('(ERR_CLI_BROWSER_ONLY)');
      expect(await cli.database.knex('otp_webauthn_device').where({ name: 'Passkey' })).toEqual([]);

      const credential = authenticator.createCredential('acme.example', Buffer.from('imported-handle').toString('base64url'));
      const imported = await otpkit('enroll', 'webauthn', 'alice', '--name', 'Moved key', '--field', `credential:=${JSON.stringify(credential)}`, '--json');
      expect(imported.code).toBe(0);
      const { persistentId, confirmed } = JSON.parse(imported.stdout);
      expect(confirmed).toBe(true);
      const device = (await otp.deviceFromPersistentId<WebAuthnDevice>(persistentId))!;
      expect(await otp.verifyToken(userId, persistentId, await freshAssertion(otp, device, authenticator))).not.toBeNull();

      const challenged = await otpkit('challenge', persistentId);
      expect(challenged).toMatchObject({ code: 1, stderr: `${found}otpkit: ${persistentId} is answered in a browser: its challenges come from your site's pages or JSON API (POST /challenge) (ERR_CLI_BROWSER_ONLY)\n` });
    });
  },
  'repository',
);

describe('otpkit on DATABASE_URL with a WebAuthn relying party the plugin refuses', () => {
  const cwd = workDir('repository');
  afterAll(() => cwd.remove());

  it('fails at start-up with the plugin\'s reason and the variables that gave the options', async () => {
    const env = { DATABASE_URL: 'app.sqlite', OTP_KEY_1: KEY, OTPKIT_WEBAUTHN_RP_NAME: 'Acme', OTPKIT_WEBAUTHN_RP_ID: 'acme.example', OTPKIT_WEBAUTHN_ORIGINS: 'http://acme.example' };
    expect(await runBin(['migrate'], { cwd: cwd.path, env })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'otpkit: webauthn: origin http://acme.example must be https (http only for localhost): browsers refuse WebAuthn elsewhere ' +
        '(options from OTPKIT_WEBAUTHN_RP_NAME, OTPKIT_WEBAUTHN_RP_ID, OTPKIT_WEBAUTHN_ORIGINS) (ERR_OTP_CONFIGURATION)\n',
    });
  });
});

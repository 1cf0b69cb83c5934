/**
 * An attacker who can write the database but holds no secret key. In 0.1 the secret box bound a
 * sealed value to `table.column` only, so mallory could copy her own sealed TOTP key into alice's
 * row and sign in as alice with her own app; plaintext keys and unkeyed `sha256$` backup-code
 * digests written into the tables were accepted although keys were configured; and an unset key
 * variable silently meant plaintext. Now a sealed value is bound to table, column, row id and user
 * id, anything unkeyed is refused once keys are configured (`rotateSecrets` is the migration
 * path), and `checkSecrets` reports what the keys cannot open while the rest keeps working.
 */
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { ConfigurationError, createOtp, decodeBase32, hotpToken, totpTimeStep } from '@otpkit/core';
import { hotp } from '@otpkit/hotp';
import { staticTokens } from '@otpkit/static';
import { totp, type TOTPDevice } from '@otpkit/totp';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { describeOnBackends } from './support/backends.js';
import { enrolBackupCodes } from './support/backup-codes.js';

const devices = [totp(), hotp(), staticTokens()];
const secretKeys = { '1': 'c'.repeat(64) };

describeOnBackends('sealed values cannot be moved or forged without a key', { devices, secretKeys }, (fixture) => {
  const otpWithKeys = () => fixture.otp({ devices, secretKeys });
  const knex = () => fixture.database.knex;
  const storedKey = async (table: string, id: number) => String((await knex()(table).where({ id }).first()).key);
  const tokenOf = (device: TOTPDevice, key = decodeBase32(device.revealKey())) =>
    hotpToken(key, totpTimeStep(fixture.clock.now(), device.step, device.t0), device);

  /** mallory's own TOTP device, whose key she knows, and a victim's confirmed TOTP device. */
  async function malloryAndVictim(otp: ReturnType<typeof otpWithKeys>, victim: string) {
    const mallory = await otp.createDevice('totp', `mallory-of-${victim}`, { confirmed: true });
    const target = await otp.createDevice('totp', victim, { confirmed: true });
    return { mallory, target, token: tokenOf(mallory) };
  }

  it("a sealed key moved into another user's row does not open", async () => {
    const otp = otpWithKeys();
    const { mallory, target, token } = await malloryAndVictim(otp, 'alice-swap');
    await knex()('otp_totp_device').where({ id: target.id }).update({ key: await storedKey('otp_totp_device', mallory.id) });
    await expect(otp.verify('alice-swap', target.persistentId, token)).rejects.toMatchObject({ code: 'ERR_OTP_SECRET' });
    expect(await otp.matchToken('alice-swap', token)).toBeNull();
    fixture.clock.advanceSeconds(24 * 3600); // the miss above was charged to alice's guessing budget
    // Moving the whole row to alice (its user_id) fails the same way: the owner is bound too.
    await knex()('otp_totp_device').where({ id: mallory.id }).update({ user_id: 'alice-swap' });
    await expect(otp.verify('alice-swap', mallory.persistentId, token)).rejects.toMatchObject({ code: 'ERR_OTP_SECRET' });
  });

  it('a sealed key moved into another row of the same user, or another table, does not open', async () => {
    const otp = otpWithKeys();
    const known = await otp.createDevice('totp', 'bob-swap', { confirmed: true });
    const other = await otp.createDevice('totp', 'bob-swap', { confirmed: true });
    await knex()('otp_totp_device').where({ id: other.id }).update({ key: await storedKey('otp_totp_device', known.id) });
    await expect(otp.verify('bob-swap', other.persistentId, tokenOf(known))).rejects.toMatchObject({ code: 'ERR_OTP_SECRET' });

    const counter = await otp.createDevice('hotp', 'bob-swap', { confirmed: true });
    await knex()('otp_hotp_device').where({ id: counter.id }).update({ key: await storedKey('otp_totp_device', known.id) });
    await expect(otp.verify('bob-swap', counter.persistentId, '000000')).rejects.toMatchObject({ code: 'ERR_OTP_SECRET' });
  });

  it('plaintext written into a row is refused once keys are configured', async () => {
    const otp = otpWithKeys();
    const { mallory, target, token } = await malloryAndVictim(otp, 'carol-plain');
    const knownHex = Buffer.from(decodeBase32(mallory.revealKey())).toString('hex');
    await knex()('otp_totp_device').where({ id: target.id }).update({ key: knownHex });
    await expect(otp.verify('carol-plain', target.persistentId, token)).rejects.toMatchObject({ code: 'ERR_OTP_SECRET' });
    expect(await otp.matchToken('carol-plain', token)).toBeNull();
    expect(await otp.checkSecrets()).toContainEqual({ table: 'otp_totp_device', column: 'key', id: target.id, userId: 'carol-plain', problem: 'plaintext' });
  });

  it('an unkeyed backup-code digest written into the table is refused', async () => {
    const otp = otpWithKeys();
    const { device: codes } = await enrolBackupCodes(otp, 'dave-digest', 1);
    const forged = `sha256$${createHash('sha256').update('forged1234', 'utf8').digest('base64url')}`;
    await knex()('otp_static_token').insert({ device_id: codes.id, token_hash: forged });
    const { id } = await knex()('otp_static_token').where({ token_hash: forged }).first('id');
    expect(await otp.matchToken('dave-digest', 'forged1234')).toBeNull();
    expect(await otp.verifyToken('dave-digest', codes.persistentId, 'forged1234')).toBeNull();
    const reported = (await otp.checkSecrets()).filter((report) => report.userId === 'dave-digest');
    expect(reported).toEqual([{ table: 'otp_static_token', column: 'token_hash', id: Number(id), userId: 'dave-digest', problem: 'unkeyed_digest' }]);
  });

  it("a keyed backup-code digest moved to another user's device does not match", async () => {
    const otp = otpWithKeys();
    const { device: own, codes: [code] } = await enrolBackupCodes(otp, 'mallory-codes', 1);
    const victim = await otp.createDevice('static', 'erin-codes', { confirmed: true });
    await knex()('otp_static_token').where({ device_id: own.id }).update({ device_id: victim.id });
    expect(await otp.matchToken('erin-codes', code)).toBeNull();
    await knex()('otp_static_device').where({ id: own.id }).update({ user_id: 'erin-codes' });
    await knex()('otp_static_token').where({ device_id: victim.id }).update({ device_id: own.id });
    expect(await otp.matchToken('erin-codes', code)).toBeNull();
  });

  it('an unset key is a ConfigurationError', () => {
    for (const unset of [undefined, '']) {
      expect(() => createOtp({ knex: knex(), devices, secretKeys: { '1': unset } })).toThrow(ConfigurationError);
      expect(() => createOtp({ knex: knex(), devices, secretKeys: { '2': 'c'.repeat(64), '1': unset } })).toThrow(
        /secretKeys\['1'\] is empty \(an unset environment variable\?\): set it to a 32-byte key, or remove the entry/,
      );
    }
  });

  it('checkSecrets reports rows it cannot open while listing keeps working', async () => {
    await createUsersTable(knex());
    const userId = String(await addUser(knex(), 'frank-broken', 'frank-password'));
    const sealing = fixture.otp({ devices, secretKeys: { '9': 'd'.repeat(64) } });
    const lost = await sealing.createDevice('totp', userId, { confirmed: true, name: 'Lost key' });
    const otp = otpWithKeys();
    const tampered = await otp.createDevice('totp', userId, { confirmed: true, name: 'Tampered' });
    const stored = await storedKey('otp_totp_device', tampered.id);
    await knex()('otp_totp_device').where({ id: tampered.id }).update({ key: `${stored.slice(0, -4)}AAAA` });
    const { device: backup, codes: [code] } = await enrolBackupCodes(otp, userId, 2);

    const reported = (await otp.checkSecrets()).filter((report) => report.userId === userId);
    expect(reported).toEqual([
      { table: 'otp_totp_device', column: 'key', id: lost.id, userId, problem: 'unknown_key' },
      { table: 'otp_totp_device', column: 'key', id: tampered.id, userId, problem: 'does_not_authenticate' },
    ]);
    expect((await otp.devicesForUser(userId)).map((device) => device.name)).toEqual(['Lost key', 'Tampered', 'Backup Code']);
    expect((await otp.deviceFromPersistentId(lost.persistentId))?.name).toBe('Lost key');
    expect(await otp.userHasDevice(userId)).toBe(true);
    await expect(otp.verify(userId, lost.persistentId, '123456')).rejects.toMatchObject({ code: 'ERR_OTP_SECRET' });
    expect((await otp.match(userId, code)).ok).toBe(true);

    const server = await startOtpApp(otp, knex());
    try {
      const client = new HttpClient(server.url);
      const csrf = csrfOf(await (await client.request('/account/login', { headers: { accept: 'text/html' } })).text());
      const login = await client.request('/account/login', { form: { _csrf: csrf, username: 'frank-broken', password: 'frank-password' } });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toMatch(/^\/account\/verify\b/);
      const step = await client.request(login.headers.get('location')!, { headers: { accept: 'text/html' } });
      expect(step.status).toBe(200);
      expect(await step.text()).toContain('The code your authenticator app (Lost key) shows now.');
      const methods = await (await client.request('/account/verify?choose=1', { headers: { accept: 'text/html' } })).text();
      for (const label of ['Authenticator app (Lost key)', 'Authenticator app (Tampered)', 'Backup codes']) expect(methods).toContain(label);
      expect((await client.getJson('/api/2fa/devices')).status).toBe(200);
      // Only the request that needs the broken secret fails, with a 503 that says so, never a 500.
      const broken = await client.sendJson('/api/2fa/validate', { device: lost.persistentId, token: '123456' });
      expect(broken).toMatchObject({ status: 503, body: { error: { code: 'secret_unavailable' } } });

      // Password oracle via the one-page form with an unopenable secret: only a right password
      // reaches the device, so its failure is refused as a wrong password is, not a 503 or a 500.
      const onePage = async (password: string) => {
        const visitor = new HttpClient(server.url);
        const form = csrfOf(await (await visitor.request('/one/login', { headers: { accept: 'text/html' } })).text());
        const answer = await visitor.request('/one/login', { form: { _csrf: form, username: 'frank-broken', password, otp_token: '123456' } });
        return { status: answer.status, text: (await answer.text()).replace(/name="_csrf" value="[^"]*"/, '') };
      };
      const wrongPassword = await onePage('not-the-password');
      expect(wrongPassword.status).toBe(400);
      expect(await onePage('frank-password')).toEqual(wrongPassword);
    } finally {
      await server.close();
    }
  });
});

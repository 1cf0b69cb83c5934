import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { SecretError } from './errors.js';
import { describeOnBackends } from './test-support/backend-fixture.js';
import { sealedBy01 } from './test-support/sealed-by-01.js';
import type { SequenceDevice } from './test-support/sequence-device.js';

const keyOne = randomBytes(32).toString('base64');
const keyTwo = randomBytes(32).toString('hex');

describeOnBackends('secrets at rest', (fixture) => {
  const rawSecret = async (id: number) =>
    (await fixture.database.knex('otp_sequence_device').where({ id }).first()).secret as string;

  it('stores no plaintext secret when keys are configured, and still verifies', async () => {
    const otp = fixture.otp({ secretKeys: { '1': keyOne } });
    const device = await otp.createDevice('sequence', 'sealed', { confirmed: true });
    const stored = await rawSecret(device.id);
    expect(stored).not.toContain(device.currentToken().slice(0, -1));
    expect(stored.startsWith('otpkit$2$1$')).toBe(true);
    expect(await otp.verifyToken('sealed', device.persistentId, device.currentToken())).not.toBeNull();
    // The verification rewrote the row without resealing the unchanged secret.
    expect(await rawSecret(device.id)).toBe(stored);
  });

  it('re-seals every row under the newest key on rotation, and rows keep verifying', async () => {
    const plain = fixture.otp();
    const legacy = await plain.createDevice('sequence', 'rotated', { confirmed: true });
    expect(await rawSecret(legacy.id)).toBe(legacy.currentToken().slice(0, -1));
    const old = fixture.otp({ secretKeys: { '1': keyOne } });
    const sealedOld = await old.createDevice('sequence', 'rotated', { confirmed: true });

    const rotating = fixture.otp({ secretKeys: { '1': keyOne, '2': keyTwo } });
    expect(await rotating.rotateSecrets()).toBeGreaterThanOrEqual(2);
    const rows: { secret: string }[] = await fixture.database.knex('otp_sequence_device').select('secret');
    expect(rows.every((row) => row.secret.startsWith('otpkit$2$2$'))).toBe(true);
    expect(await rotating.rotateSecrets()).toBe(0);

    const newest = fixture.otp({ secretKeys: { '2': keyTwo } });
    for (const device of [legacy, sealedOld]) {
      const current = (await newest.deviceFromPersistentId<SequenceDevice>(device.persistentId))!;
      expect(await newest.verifyToken('rotated', device.persistentId, current.currentToken())).not.toBeNull();
    }
  });

  it('refuses to open a secret sealed under a key that is not configured, while the device still loads', async () => {
    const sealing = fixture.otp({ secretKeys: { '7': keyOne } });
    const device = await sealing.createDevice('sequence', 'unknown-key', { confirmed: true });
    const other = fixture.otp({ secretKeys: { '8': keyTwo } });
    const loaded = await other.deviceFromPersistentId<SequenceDevice>(device.persistentId);
    expect(loaded?.persistentId).toBe(device.persistentId);
    expect(() => loaded!.currentToken()).toThrow(SecretError);
    await expect(other.verify('unknown-key', device.persistentId, 'ABC1')).rejects.toMatchObject({ code: 'ERR_OTP_SECRET' });
  });

  it('refuses a value sealed by 0.1 until rotateSecrets binds it to its row, then it verifies', async () => {
    const otp = fixture.otp({ secretKeys: { '1': keyOne } });
    const device = await otp.createDevice('sequence', 'upgraded', { confirmed: true });
    await fixture.database.knex('otp_sequence_device').where({ id: device.id }).update({ secret: sealedBy01(keyOne, '1', 'OLDSECRET', 'otp_sequence_device.secret') });
    await expect(otp.verify('upgraded', device.persistentId, 'OLDSECRET0')).rejects.toBeInstanceOf(SecretError);
    expect(await otp.checkSecrets()).toContainEqual({ table: 'otp_sequence_device', column: 'secret', id: device.id, userId: 'upgraded', problem: 'legacy_binding' });
    // Every key the rows of this database were sealed under (rotation stops at a value no key opens).
    const rotating = fixture.otp({ secretKeys: { '1': keyOne, '2': keyTwo, '7': keyOne, '8': keyTwo } });
    expect(await rotating.rotateSecrets()).toBeGreaterThanOrEqual(1);
    expect(await rawSecret(device.id)).toMatch(/^otpkit\$2\$8\$/);
    expect(await rotating.verifyToken('upgraded', device.persistentId, 'OLDSECRET0')).not.toBeNull();
  });
});

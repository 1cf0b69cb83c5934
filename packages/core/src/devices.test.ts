import { expect, it } from 'vitest';
import { describeOnBackends } from './test-support/backend-fixture.js';
import type { SequenceDevice } from './test-support/sequence-device.js';

describeOnBackends('device management', (fixture) => {
  it('locks the listed rows until the given transaction ends (forVerify)', async () => {
    const otp = fixture.otp();
    const device = await otp.createDevice<SequenceDevice>('sequence', 'locker', { confirmed: true });
    let settled = false;
    let verification: Promise<unknown> | undefined;
    await otp.knex.transaction(async (trx) => {
      const locked = await otp.devicesForUser('locker', { confirmed: true, forVerify: trx });
      expect(locked.map((d) => d.persistentId)).toEqual([device.persistentId]);
      verification = otp.verifyToken('locker', device.persistentId, device.currentToken()).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
    });
    expect(await verification).not.toBeNull();
  });

  it("removes a user's own device only, with integer and string user ids alike", async () => {
    const otp = fixture.otp();
    const device = await otp.createDevice('sequence', 1234, { confirmed: true });
    expect(device.userId).toBe('1234');
    expect(await otp.removeDevice(999, device.persistentId)).toBe(false);
    expect(await otp.removeDevice('1234', 'sequence/abc')).toBe(false);
    expect(await otp.deviceFromPersistentId(device.persistentId)).not.toBeNull();
    expect(await otp.removeDevice(1234, device.persistentId)).toBe(true);
    expect(await otp.deviceFromPersistentId(device.persistentId)).toBeNull();
    expect(await otp.verifyToken(1234, device.persistentId, 'ANY1')).toBeNull();
  });

  it('returns null from verifyToken for garbage persistent ids without touching any row', async () => {
    const otp = fixture.otp();
    const device = await otp.createDevice('sequence', 'garbage', { confirmed: true });
    for (const id of ['', 'sequence/', 'x/1', 'sequence/abc', 'a'.repeat(10_000)]) {
      expect(await otp.verify('garbage', id, 'ABC1')).toEqual({ ok: false, reason: 'no_device' });
    }
    expect((await otp.deviceFromPersistentId(device.persistentId))!.throttlingFailureCount).toBe(0);
  });
});

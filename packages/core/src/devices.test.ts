import { expect, it } from 'vitest';
import { describeOnBackends } from './test-support/backend-fixture.js';

describeOnBackends('device management', (fixture) => {
  it('refuses the removed forVerify option of devicesForUser, naming why', async () => {
    const otp = fixture.otp();
    await expect(otp.devicesForUser('locker', { forVerify: {} } as never)).rejects.toThrow(/no longer locks rows/);
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

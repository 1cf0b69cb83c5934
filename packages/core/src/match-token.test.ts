import { expect, it } from 'vitest';
import { describeOnBackends } from './test-support/backend-fixture.js';
import type { SequenceDevice } from './test-support/sequence-device.js';

describeOnBackends('matchToken', (fixture) => {
  it("charges a miss to the user's budget, not to the devices, and the budget throttles", async () => {
    const otp = fixture.otp();
    const first = await otp.createDevice('sequence', 'two-devices', { confirmed: true });
    const second = await otp.createDevice('sequence', 'two-devices', { confirmed: true });

    // One miss, tested against two devices of one unit each: 2 units, charged to the user once; the
    // next match (2 units again) waits the delays of both: 2 + 4 s.
    const miss = await otp.match('two-devices', 'NOPE123');
    expect(miss).toEqual({ ok: false, reason: 'invalid_token', failureCount: 2, lockedUntil: fixture.clock.now() + 6000 });
    for (const device of [first, second]) {
      expect((await otp.deviceFromPersistentId(device.persistentId))!.throttlingFailureCount).toBe(0);
    }

    // The budget refuses even a correct token until the delay has passed, and does not count it.
    expect(await otp.match('two-devices', second.currentToken())).toMatchObject({ ok: false, reason: 'throttled', failureCount: 2 });
    fixture.clock.advance(6000);
    expect((await otp.matchToken('two-devices', second.currentToken()))?.persistentId).toBe(second.persistentId);

    // A success resets the budget: the next miss is the first again.
    expect(await otp.match('two-devices', 'NOPE123')).toMatchObject({ failureCount: 2 });
    fixture.clock.advanceSeconds(10);
  });

  it('tries devices in plugin order and by id, and stops at the first match', async () => {
    const otp = fixture.otp();
    const older = await otp.createDevice('sequence', 'ordered', { confirmed: true });
    const newer = await otp.createDevice('sequence', 'ordered', { confirmed: true });
    expect((await otp.matchToken('ordered', newer.currentToken()))?.persistentId).toBe(newer.persistentId);
    expect((await otp.matchToken('ordered', older.currentToken()))?.persistentId).toBe(older.persistentId);
  });

  it('skips unconfirmed devices and devices locked by their own throttle', async () => {
    const otp = fixture.otp();
    const pending = await otp.createDevice('sequence', 'skipper', { confirmed: false });
    expect(await otp.matchToken('skipper', pending.currentToken())).toBeNull();
    const locked = await otp.createDevice('sequence', 'skipper', { confirmed: true });
    await otp.verify('skipper', locked.persistentId, 'WRONG1');
    fixture.clock.advanceSeconds(2); // the user's budget lifts after 1 s, the device's after 1 s too
    await otp.verify('skipper', locked.persistentId, 'WRONG1'); // now 2 failures: locked for 2 s
    expect(await otp.matchToken('skipper', locked.currentToken())).toBeNull();
    fixture.clock.advanceSeconds(2);
    expect(await otp.matchToken('skipper', locked.currentToken())).not.toBeNull();
  });
});

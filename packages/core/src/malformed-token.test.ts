import { expect, it } from 'vitest';
import { describeOnBackends } from './test-support/backend-fixture.js';
import type { SequenceDevice } from './test-support/sequence-device.js';

/** Inputs that can never be a token. */
const MALFORMED = ['', '   ', 'a'.repeat(10_000), '12\u00003', '<script>', 42, null, undefined, {}, ['1']];

describeOnBackends('malformed tokens', (fixture) => {
  it('are malformed_token on verify, match and confirm, with no failure count, spending no budget', async () => {
    const otp = fixture.otp();
    const user = 'malformed-budget';
    const device = await otp.createDevice('sequence', user, { confirmed: true });
    const pending = await otp.createDevice('sequence', user);
    const missedAt = fixture.clock.now();
    expect(await otp.verify(user, device.persistentId, 'WRONG1')).toEqual({ ok: false, reason: 'invalid_token', failureCount: 1, lockedUntil: missedAt + 1000 });

    for (const token of MALFORMED) {
      for (const outcome of [
        await otp.verify(user, device.persistentId, token),
        await otp.match(user, token),
        await otp.confirmDevice(user, pending.persistentId, token),
      ]) {
        expect(outcome).toEqual({ ok: false, reason: 'malformed_token' });
      }
    }

    // Neither the user's budget nor the devices' own throttles moved: the next miss is the second.
    for (const { persistentId } of [device, pending]) {
      const stored = (await otp.deviceFromPersistentId(persistentId))!;
      expect(stored.throttlingFailureCount).toBe(persistentId === device.persistentId ? 1 : 0);
    }
    fixture.clock.advanceSeconds(1);
    expect(await otp.match(user, 'WRONG1')).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: 2 });
    fixture.clock.advanceSeconds(10);
    expect((await otp.confirmDevice(user, pending.persistentId, pending.currentToken())).ok).toBe(true);
  });

  it('are malformed_token even while the user is throttled, and do not lengthen the throttle', async () => {
    const otp = fixture.otp({ throttleFactor: 60 });
    const user = 'malformed-throttled';
    const device = await otp.createDevice('sequence', user, { confirmed: true });
    const missedAt = fixture.clock.now();
    await otp.verify(user, device.persistentId, 'WRONG1');
    expect(await otp.verify(user, device.persistentId, '!!')).toEqual({ ok: false, reason: 'malformed_token' });
    expect(await otp.verify(user, device.persistentId, device.currentToken())).toEqual({
      ok: false,
      reason: 'throttled',
      failureCount: 1,
      lockedUntil: missedAt + 60_000,
    });
    fixture.clock.advanceSeconds(60);
    expect((await otp.verify(user, device.persistentId, device.currentToken())).ok).toBe(true);
  });
});

import { expect, it } from 'vitest';
import { describeOnBackends } from './test-support/backend-fixture.js';
import type { SequenceDevice } from './test-support/sequence-device.js';

describeOnBackends('concurrent verification', (fixture) => {
  const race = <T>(count: number, attempt: () => Promise<T>) => Promise.all(Array.from({ length: count }, attempt));

  it('accepts a single-use token exactly once among 50 concurrent verifications', async () => {
    const otp = fixture.otp();
    const device = await otp.createDevice('sequence', 'racer', { confirmed: true });
    const results = await race(50, () => otp.verifyToken('racer', device.persistentId, device.currentToken()));
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    const after = (await otp.deviceFromPersistentId<SequenceDevice>(device.persistentId))!;
    expect(after.counter).toBe(1);
  });

  it('counts every one of 50 concurrent wrong tokens when throttling is off (no lost updates)', async () => {
    const otp = fixture.otp({ throttleFactor: 0 });
    const device = await otp.createDevice('sequence', 'guesser-0', { confirmed: true });
    const results = await race(50, () => otp.verify('guesser-0', device.persistentId, 'WRONG1'));
    expect(results.every((result) => !result.ok && result.reason === 'invalid_token')).toBe(true);
    expect((await otp.deviceFromPersistentId(device.persistentId))!.throttlingFailureCount).toBe(50);
  });

  it('counts only the first of 50 concurrent wrong tokens when throttling is on', async () => {
    const otp = fixture.otp({ throttleFactor: 1 });
    const device = await otp.createDevice('sequence', 'guesser-1', { confirmed: true });
    const results = await race(50, () => otp.verify('guesser-1', device.persistentId, 'WRONG1'));
    expect(results.filter((result) => !result.ok && result.reason === 'invalid_token')).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === 'throttled')).toHaveLength(49);
    expect((await otp.deviceFromPersistentId(device.persistentId))!.throttlingFailureCount).toBe(1);
  });

  it('serializes concurrent matchToken calls of one user on the failure budget', async () => {
    const otp = fixture.otp({ guessThrottle: { factor: 0 } });
    await otp.createDevice('sequence', 'matcher', { confirmed: true });
    await race(20, () => otp.match('matcher', 'WRONG1'));
    const twentyFirst = await otp.match('matcher', 'WRONG1');
    expect(twentyFirst).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: 21 });
  });
});

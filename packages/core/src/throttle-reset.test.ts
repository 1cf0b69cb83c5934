import { expect, it } from 'vitest';
import { describeOnBackends } from './test-support/backend-fixture.js';
import { recordEvents } from './test-support/recorded-events.js';
import type { SequenceDevice } from './test-support/sequence-device.js';

const ADMIN = { via: 'cli', actor: 'cli:ops' };

describeOnBackends('otp.resetThrottle', (fixture) => {
  it("clears the user's guessing budget and every device's failure count, so the user may try again at once", async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks, audit: true, throttleFactor: 60 });
    const device = await otp.createDevice('sequence', 'reset-alice', { confirmed: true });
    const spare = await otp.createDevice('sequence', 'reset-alice', { confirmed: true });
    const bystander = await otp.createDevice('sequence', 'reset-bob', { confirmed: true });
    expect(await otp.verify('reset-alice', device.persistentId, 'WRONG1')).toMatchObject({ reason: 'invalid_token' });
    expect(await otp.verify('reset-bob', bystander.persistentId, 'WRONG1')).toMatchObject({ reason: 'invalid_token' });
    const { knex } = fixture.database;
    await knex('otp_sequence_device').update({ throttling_failure_count: 3, throttling_failure_timestamp: fixture.clock.now() }).where('id', spare.id);
    const reloaded = (await otp.deviceFromPersistentId<SequenceDevice>(device.persistentId))!;
    expect(await otp.verify('reset-alice', device.persistentId, reloaded.currentToken())).toMatchObject({ reason: 'throttled' });

    events.length = 0;
    expect(await otp.resetThrottle('reset-alice', ADMIN)).toBe(true);
    expect(await knex('otp_user_throttle').select('failure_count', 'last_failure_at').where('user_id', 'reset-alice')).toEqual([{ failure_count: 0, last_failure_at: null }]);
    const rows = await knex('otp_sequence_device').select('throttling_failure_count', 'throttling_failure_timestamp').whereIn('id', [device.id, spare.id]).orderBy('id');
    expect(rows).toEqual([
      { throttling_failure_count: 0, throttling_failure_timestamp: null },
      { throttling_failure_count: 0, throttling_failure_timestamp: null },
    ]);
    expect(await otp.verify('reset-alice', device.persistentId, reloaded.currentToken())).toMatchObject({ ok: true });
    // Another user's budget is left alone.
    const other = (await otp.deviceFromPersistentId<SequenceDevice>(bystander.persistentId))!;
    expect(await otp.verify('reset-bob', bystander.persistentId, other.currentToken())).toMatchObject({ reason: 'throttled' });

    expect(await otp.resetThrottle('reset-alice', ADMIN)).toBe(false);
    const resets = events.filter((event) => event.type === 'throttleReset');
    expect(resets).toEqual([
      { type: 'throttleReset', userId: 'reset-alice', deviceId: null, at: fixture.clock.now(), via: 'cli', ip: null, userAgent: null, actor: 'cli:ops', cleared: true },
      { type: 'throttleReset', userId: 'reset-alice', deviceId: null, at: fixture.clock.now(), via: 'cli', ip: null, userAgent: null, actor: 'cli:ops', cleared: false },
    ]);
    const audited = (await otp.auditEvents('reset-alice')).filter((event) => event.type === 'throttleReset');
    expect(audited.map((event) => event.type === 'throttleReset' && [event.actor, event.cleared])).toEqual([['cli:ops', false], ['cli:ops', true]]);
  });

  it('resets a user who was never throttled, or has no row at all, and refuses a bad user id', async () => {
    const otp = fixture.otp();
    expect(await otp.resetThrottle('reset-nobody')).toBe(false);
    await expect(otp.resetThrottle({} as never)).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'userId' });
  });
});

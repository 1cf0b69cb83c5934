import { expect, it } from 'vitest';
import type { CheckResult } from './index.js';
import type { OtpEvent } from './events.js';
import { ConfigurationError } from './errors.js';
import { describeOnBackends } from './test-support/backend-fixture.js';
import { recordEvents } from './test-support/recorded-events.js';
import { sequence, SequenceDevice } from './test-support/sequence-device.js';

const API = { ip: '203.0.113.7', userAgent: 'Firefox on Linux', via: 'api' };
/** What the events of a call without an administrator carry besides {@link API}. */
const BY_USER = { ...API, actor: null };
const summary = (events: readonly OtpEvent[]) => events.map((event) => `${event.type} ${event.deviceId ?? '-'}`);

describeOnBackends('events', (fixture) => {
  it("reports each change of the low-level API once, with the caller's metadata and the injected clock", async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks });
    const device = await otp.createDevice('sequence', 'events-api', { confirmed: true }, API);
    const id = device.persistentId;
    expect(await otp.verify('events-api', id, device.currentToken(), API)).toMatchObject({ ok: true });
    expect(await otp.verify('events-api', id, 'WRONG1', API)).toMatchObject({ reason: 'invalid_token', failureCount: 1 });
    expect(await otp.verify('events-api', id, 'WRONG2', API)).toMatchObject({ reason: 'throttled' });
    fixture.clock.advanceSeconds(10);
    const reloaded = (await otp.deviceFromPersistentId<SequenceDevice>(id))!;
    expect((await otp.matchToken('events-api', reloaded.currentToken(), API))?.persistentId).toBe(id);
    expect(await otp.match('events-api', 'NOPE', API)).toMatchObject({ reason: 'invalid_token' });
    expect(await otp.verify('events-api', 'sequence/999999', 'NOPE', API)).toEqual({ ok: false, reason: 'no_device' });
    expect(await otp.removeDevice('events-api', id, API)).toBe(true);
    expect(await otp.removeDevice('events-api', id, API)).toBe(false);

    expect(summary(events)).toEqual([`deviceAdded ${id}`, `verified ${id}`, `failed ${id}`, `throttled ${id}`, `verified ${id}`, 'failed -', `deviceRemoved ${id}`]);
    expect(events[0]).toEqual({ type: 'deviceAdded', userId: 'events-api', deviceId: id, at: expect.any(Number), ...BY_USER, confirmed: true });
    expect(events[1]).toMatchObject({ method: 'token' });
    expect(events[2]).toMatchObject({ failureCount: 1, lockedUntil: expect.any(Number) });
    expect(events[3]).toMatchObject({ failureCount: 1, lockedUntil: expect.any(Number) });
    expect(events.at(-1)).toEqual({ type: 'deviceRemoved', userId: 'events-api', deviceId: id, at: fixture.clock.now(), ...BY_USER, confirmed: true });
    expect(events.every((event) => Object.isFrozen(event))).toBe(true);
  });

  it("reports verifyLogin's sign-ins like verify: verified, failed and throttled, with the caller's metadata", async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks });
    const device = await otp.createDevice('sequence', 'events-login', { confirmed: true, purpose: 'login' });
    const id = device.persistentId;
    expect(await otp.verifyLogin('events-login', id, device.currentToken(), API)).toMatchObject({ ok: true });
    expect(await otp.verifyLogin('events-login', id, 'WRONG1', API)).toMatchObject({ reason: 'invalid_token', failureCount: 1 });
    expect(await otp.verifyLogin('events-login', id, 'WRONG2', API)).toMatchObject({ reason: 'throttled' });
    expect(summary(events)).toEqual([`deviceAdded ${id}`, `verified ${id}`, `failed ${id}`, `throttled ${id}`]);
    expect(events[1]).toMatchObject({ ...API, userId: 'events-login', method: 'token' });
    fixture.clock.advanceSeconds(10);
  });

  it("defaults to via 'direct' and no actor, and keeps only printable metadata cut to the audit table's sizes", async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks });
    await otp.createDevice('sequence', 'events-meta');
    await otp.createDevice('sequence', 'events-meta', {}, { ip: '\u001b[31m10.0.0.1', userAgent: 'x'.repeat(300), via: 'v'.repeat(40) });
    await otp.createDevice('sequence', 'events-meta', {}, 'not an object' as never);
    await otp.createDevice('sequence', 'events-meta', {}, { via: 'cli', actor: ` ${'a'.repeat(70)}` });
    await otp.createDevice('sequence', 'events-meta', {}, { actor: 'mallory\u202e' });
    await otp.createDevice('sequence', 'events-meta', {}, { actor: 7 as never });
    expect(events.map(({ via, ip, userAgent, actor }) => ({ via, ip, userAgent, actor }))).toEqual([
      { via: 'direct', ip: null, userAgent: null, actor: null },
      { via: 'v'.repeat(32), ip: null, userAgent: 'x'.repeat(255), actor: null },
      { via: 'direct', ip: null, userAgent: null, actor: null },
      { via: 'cli', ip: null, userAgent: null, actor: 'a'.repeat(64) },
      { via: 'direct', ip: null, userAgent: null, actor: null },
      { via: 'direct', ip: null, userAgent: null, actor: null },
    ]);
  });

  it('reports enrolment: deviceAdded unconfirmed, deviceConfirmed, then verified when an already confirmed device is confirmed again', async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks });
    const pending = await otp.createDevice('sequence', 'events-enrol', { confirmed: false });
    expect(await otp.confirmDevice('events-enrol', pending.persistentId, pending.currentToken())).toMatchObject({ ok: true });
    const confirmed = (await otp.deviceFromPersistentId<SequenceDevice>(pending.persistentId))!;
    expect(await otp.confirmDevice('events-enrol', pending.persistentId, confirmed.currentToken())).toMatchObject({ ok: true });
    expect(events.map((event) => event.type)).toEqual(['deviceAdded', 'deviceConfirmed', 'verified']);
    expect(events[0]).toMatchObject({ confirmed: false });
  });

  it('reports expired enrolments swept, remembered and revoked browsers, and a password change', async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks, enrolmentTimeout: 60 });
    const stale = await otp.createDevice('sequence', 'events-sweep', { confirmed: false });
    fixture.clock.advanceSeconds(61);
    expect(await otp.sweepExpiredEnrolments({ via: 'cli' })).toBeGreaterThanOrEqual(1);
    expect(events.filter((event) => event.userId === 'events-sweep').map((event) => `${event.type} ${event.via}`)).toEqual(['deviceAdded direct', 'enrolmentExpired cli']);
    expect(events.find((event) => event.type === 'enrolmentExpired' && event.deviceId === stale.persistentId)).toBeDefined();

    events.length = 0;
    const device = await otp.createDevice('sequence', 'events-browsers', { confirmed: true });
    const first = await otp.browsers.remember('events-browsers', device.persistentId, { ttlSeconds: 60 }, API);
    await otp.browsers.remember('events-browsers', device.persistentId, { ttlSeconds: 60 });
    await otp.browsers.remember('events-browsers', device.persistentId, { ttlSeconds: 60 });
    expect(await otp.browsers.forget('events-browsers', first.browser.id, API)).toBe(true);
    expect(await otp.browsers.forget('events-browsers', first.browser.id, API)).toBe(false);
    expect(await otp.passwordChanged('events-browsers', API)).toBe(2);
    expect(await otp.browsers.forgetAll('events-browsers')).toBe(0);
    expect(events.slice(1).map((event) => event.type)).toEqual(['browserRemembered', 'browserRemembered', 'browserRemembered', 'browsersRevoked', 'browsersRevoked', 'passwordChanged']);
    expect(events[1]).toMatchObject({ deviceId: device.persistentId, browserId: first.browser.id, expiresAt: first.browser.expiresAt, via: 'api' });
    expect(events.slice(-3, -1).map((event) => event.type === 'browsersRevoked' && event.count)).toEqual([1, 2]);
    expect(events.at(-1)).toMatchObject({ type: 'passwordChanged', userId: 'events-browsers', deviceId: null, via: 'api' });
  });

  it('subscribe: hooks added after createOtp run after the configured ones, a throwing one is logged, and unsubscribing stops them', async () => {
    const order: string[] = [];
    const warnings: string[] = [];
    const otp = fixture.otp({ events: { deviceAdded: () => void order.push('configured') }, logger: { warn: (message) => void warnings.push(message) } });
    const unsubscribe = otp.subscribe({ deviceAdded: () => void order.push('subscribed') });
    otp.subscribe({
      deviceAdded: () => {
        throw new Error('listener broke');
      },
    });
    const device = await otp.createDevice('sequence', 'events-subscribe', { confirmed: true });
    expect(order).toEqual(['configured', 'subscribed']);
    expect(warnings.filter((message) => message.includes('hook threw'))).toEqual(['the deviceAdded event hook threw (listener broke); the change stands']);
    expect(await otp.deviceFromPersistentId(device.persistentId)).not.toBeNull();
    unsubscribe();
    await otp.createDevice('sequence', 'events-subscribe', { confirmed: true });
    expect(order).toEqual(['configured', 'subscribed', 'configured']);
    expect(() => otp.subscribe({ deviceGone: () => {} } as never)).toThrow(/events: unknown option "deviceGone"/);
  });

  it('fires each hook after the change committed: another connection already sees it', async () => {
    const seen: string[] = [];
    const otp = fixture.otp({
      events: {
        deviceAdded: async (event) => void seen.push(`added ${(await otp.deviceFromPersistentId(event.deviceId))?.persistentId}`),
        verified: async (event) => void seen.push(`verified, last used ${(await otp.deviceFromPersistentId(event.deviceId))?.lastUsedAt}`),
        deviceRemoved: async (event) => void seen.push(`removed ${await otp.deviceFromPersistentId(event.deviceId)}`),
      },
    });
    const device = await otp.createDevice('sequence', 'events-commit', { confirmed: true });
    await otp.verify('events-commit', device.persistentId, device.currentToken());
    await otp.removeDevice('events-commit', device.persistentId);
    expect(seen).toEqual([`added ${device.persistentId}`, `verified, last used ${fixture.clock.now()}`, 'removed null']);
  });

  it('reports nothing for a change that rolled back', async () => {
    // Its rows of a table that does not exist: the check's read and the removal's delete both fail after the row lock.
    class FailingCheck extends SequenceDevice {
      static override readonly children = { ghosts: { table: 'otp_no_such_table', columns: { note: 'text' } } } as const;
      override check(): CheckResult<SequenceDevice> {
        throw new Error('the check broke');
      }
    }
    const failing = { ...sequence(), model: FailingCheck };
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ devices: [failing as never], events: hooks });
    const device = await otp.createDevice('sequence', 'events-rollback', { confirmed: true, name: 'Kept' });
    events.length = 0;
    await expect(otp.verify('events-rollback', device.persistentId, 'ANY')).rejects.toMatchObject({ code: 'ERR_OTP_STORAGE' });
    await expect(otp.removeDevice('events-rollback', device.persistentId)).rejects.toMatchObject({ code: 'ERR_OTP_STORAGE' });
    expect(await otp.deviceFromPersistentId(device.persistentId)).toMatchObject({ name: 'Kept', counter: 0, lastUsedAt: null });
    expect(events).toEqual([]);
  });

  it('a throwing hook is logged and the verification stands; the next event is still reported', async () => {
    const warnings: string[] = [];
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({
      events: { ...hooks, verified: () => Promise.reject(new Error('audit sink down')) },
      logger: { warn: (message) => warnings.push(message) },
    });
    const device = await otp.createDevice('sequence', 'events-throwing', { confirmed: true });
    expect((await otp.verifyToken('events-throwing', device.persistentId, device.currentToken()))?.persistentId).toBe(device.persistentId);
    expect((await otp.deviceFromPersistentId(device.persistentId))!.lastUsedAt).toBe(fixture.clock.now());
    expect(warnings.filter((warning) => warning.includes('hook'))).toEqual(['the verified event hook threw (audit sink down); the change stands']);
    await otp.removeDevice('events-throwing', device.persistentId);
    expect(summary(events)).toEqual([`deviceAdded ${device.persistentId}`, `deviceRemoved ${device.persistentId}`]);
  });

  it('awaits hooks: the call resolves after its hook finished', async () => {
    let finished = false;
    const otp = fixture.otp({ events: { deviceAdded: () => new Promise<void>((resolve) => setTimeout(() => resolve(void (finished = true)), 50)) } });
    await otp.createDevice('sequence', 'events-slow');
    expect(finished).toBe(true);
  });

  it('recordEvent reports what happened outside core, and refuses what is not an event', async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ events: hooks });
    await otp.recordEvent({ type: 'rescueUsed', userId: 7, deviceId: null, rescueMode: 'help' }, API);
    await otp.recordEvent({ type: 'verified', userId: 'events-record', deviceId: 'sequence/5', method: 'remembered', browserId: 3 });
    expect(events).toEqual([
      { type: 'rescueUsed', userId: '7', deviceId: null, at: fixture.clock.now(), ...BY_USER, rescueMode: 'help' },
      { type: 'verified', userId: 'events-record', deviceId: 'sequence/5', at: fixture.clock.now(), via: 'direct', ip: null, userAgent: null, actor: null, method: 'remembered', browserId: 3 },
    ]);
    const refused = [
      { type: 'nope', userId: 1, deviceId: null },
      { type: 'secretsRotated', userId: 1, deviceId: null, rewritten: 1 },
      { type: 'rescueUsed', userId: '', deviceId: null, rescueMode: 'help' },
      { type: 'rescueUsed', userId: 1, deviceId: '../etc', rescueMode: 'help' },
      { type: 'rescueUsed', userId: 1, deviceId: null, rescueMode: { nested: true } },
      { type: 'rescueUsed', userId: 1, deviceId: null, rescueMode: 'x'.repeat(65) },
      { type: 'rescueUsed', userId: 1, deviceId: null, at: 0 },
      { type: 'rescueUsed', userId: 1, deviceId: null, rescueMode: 'help', actor: 'someone' },
      null,
    ];
    for (const event of refused) await expect(otp.recordEvent(event as never)).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT' });
    expect(events).toHaveLength(2);
  });

  it('refuses unknown hooks and bad audit options at start-up, naming the fix', () => {
    expect(() => fixture.otp({ events: { verfied: () => {} } as never })).toThrow(/events: unknown option "verfied" \(did you mean "verified"\?\); the options are verified, failed/);
    expect(() => fixture.otp({ events: { verified: 'log' } as never })).toThrow(/events\.verified must be a function/);
    expect(() => fixture.otp({ events: 'all' as never })).toThrow(ConfigurationError);
    expect(() => fixture.otp({ audit: 'yes' as never })).toThrow(/audit must be true, false or \{ retentionDays \}/);
    expect(() => fixture.otp({ audit: { retentionDays: 0 } })).toThrow(/retentionDays must be a whole number of days/);
    expect(() => fixture.otp({ audit: { retention: 30 } as never })).toThrow(/audit: unknown option "retention" \(did you mean "retentionDays"\?\)/);
  });
});

describeOnBackends('secretsRotated', (fixture) => {
  it('reports a rotation that rewrote values once, about no user, and a rotation with nothing to do not at all', async () => {
    const { events, hooks } = recordEvents();
    const sealedUnderOne = fixture.otp({ secretKeys: { '1': 'a'.repeat(64) } });
    await sealedUnderOne.createDevice('sequence', 'rotated', { confirmed: true });
    const otp = fixture.otp({ secretKeys: { '1': 'a'.repeat(64), '2': 'b'.repeat(64) }, events: hooks });
    const rewritten = await otp.rotateSecrets({ via: 'cli' });
    expect(rewritten).toBe(1);
    expect(await otp.rotateSecrets({ via: 'cli' })).toBe(0);
    expect(events).toEqual([{ type: 'secretsRotated', userId: null, deviceId: null, at: fixture.clock.now(), via: 'cli', ip: null, userAgent: null, actor: null, rewritten: 1 }]);
  });
});

import { expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { defineDevicePlugin } from './plugin.js';
import { describeOnBackends } from './test-support/backend-fixture.js';
import { SequenceDevice, sequence } from './test-support/sequence-device.js';

/** The sequence plugin allowing only second-factor devices, as backup codes do. */
const secondFactorOnly = () => defineDevicePlugin({ ...sequence(), purposes: ['second-factor'] });

describeOnBackends('device purpose', (fixture) => {
  const race = <T>(count: number, attempt: () => Promise<T>) => Promise.all(Array.from({ length: count }, attempt));

  it('login-only phone is not silently a second factor: verify, match and userHasDevice ignore it; verifyLogin accepts it', async () => {
    const otp = fixture.otp();
    const phone = await otp.createDevice('sequence', 'login-phone', { confirmed: true, purpose: 'login' });
    expect(phone.purpose).toBe('login');
    expect(await otp.verify('login-phone', phone.persistentId, phone.currentToken())).toEqual({ ok: false, reason: 'no_device' });
    expect(await otp.verifyToken('login-phone', phone.persistentId, phone.currentToken())).toBeNull();
    expect((await otp.match('login-phone', phone.currentToken())).ok).toBe(false);
    expect(await otp.matchToken('login-phone', phone.currentToken())).toBeNull();
    expect(await otp.userHasDevice('login-phone')).toBe(false);
    expect(await otp.devicesForUser('login-phone', { purpose: 'second-factor' })).toEqual([]);
    // Nothing was spent: the same token still signs in, once.
    const signedIn = await otp.verifyLogin('login-phone', phone.persistentId, phone.currentToken());
    expect(signedIn.ok && signedIn.device.persistentId).toBe(phone.persistentId);
    expect((await otp.verifyLogin('login-phone', phone.persistentId, phone.currentToken())).ok).toBe(false);
  });

  it('second-factor device cannot sign in alone: verifyLogin refuses it as an unknown device', async () => {
    const otp = fixture.otp();
    const phone = await otp.createDevice('sequence', 'second-phone', { confirmed: true });
    expect(phone.purpose).toBe('second-factor');
    expect(await otp.verifyLogin('second-phone', phone.persistentId, phone.currentToken())).toEqual({ ok: false, reason: 'no_device' });
    expect(await otp.devicesForUser('second-phone', { purpose: 'login' })).toEqual([]);
    expect((await otp.verify('second-phone', phone.persistentId, phone.currentToken())).ok).toBe(true);
    expect(await otp.userHasDevice('second-phone')).toBe(true);
  });

  it('a device for both signs in and serves as a second factor, and is listed for either use', async () => {
    const otp = fixture.otp();
    const key = await otp.createDevice('sequence', 'both-key', { confirmed: true, purpose: 'both' });
    const login = await otp.createDevice('sequence', 'both-key', { confirmed: true, purpose: 'login' });
    const second = await otp.createDevice('sequence', 'both-key', { confirmed: true, purpose: 'second-factor' });
    const ids = async (purpose?: 'second-factor' | 'login') =>
      (await otp.devicesForUser('both-key', purpose === undefined ? {} : { purpose })).map((device) => device.persistentId);
    expect(await ids()).toEqual([key.persistentId, login.persistentId, second.persistentId]);
    expect(await ids('login')).toEqual([key.persistentId, login.persistentId]);
    expect(await ids('second-factor')).toEqual([key.persistentId, second.persistentId]);
    expect((await otp.verifyLogin('both-key', key.persistentId, key.currentToken())).ok).toBe(true);
    const fresh = (await otp.deviceFromPersistentId<SequenceDevice>(key.persistentId))!;
    expect((await otp.verify('both-key', key.persistentId, fresh.currentToken())).ok).toBe(true);
  });

  it('a verification never changes the purpose stored with the device', async () => {
    const otp = fixture.otp();
    const phone = await otp.createDevice('sequence', 'kept-purpose', { confirmed: true, purpose: 'login' });
    expect((await otp.verifyLogin('kept-purpose', phone.persistentId, phone.currentToken())).ok).toBe(true);
    const row = await fixture.database.knex('otp_sequence_device').where('id', phone.id).first();
    expect(row.purpose).toBe('login');
    expect((await otp.deviceFromPersistentId(phone.persistentId))!.toJSON()).toMatchObject({ purpose: 'login', confirmed: true });
  });

  it('confirms an unconfirmed login device; verifyLogin refuses it until then', async () => {
    const otp = fixture.otp();
    const phone = await otp.createDevice('sequence', 'enrolling-login', { purpose: 'login' });
    expect(await otp.verifyLogin('enrolling-login', phone.persistentId, phone.currentToken())).toEqual({ ok: false, reason: 'no_device' });
    expect((await otp.confirmDevice('enrolling-login', phone.persistentId, phone.currentToken())).ok).toBe(true);
    const confirmed = (await otp.deviceFromPersistentId<SequenceDevice>(phone.persistentId))!;
    expect(await otp.verify('enrolling-login', phone.persistentId, confirmed.currentToken())).toEqual({ ok: false, reason: 'no_device' });
    expect((await otp.verifyLogin('enrolling-login', phone.persistentId, confirmed.currentToken())).ok).toBe(true);
  });

  it("another user's login device is unknown to verifyLogin", async () => {
    const otp = fixture.otp();
    const phone = await otp.createDevice('sequence', 'owner-of-login', { confirmed: true, purpose: 'login' });
    expect(await otp.verifyLogin('stranger-of-login', phone.persistentId, phone.currentToken())).toEqual({ ok: false, reason: 'no_device' });
  });

  it('racing verifyLogin with one code: exactly one of 30 concurrent sign-ins succeeds', async () => {
    const otp = fixture.otp();
    const phone = await otp.createDevice('sequence', 'login-racer', { confirmed: true, purpose: 'login' });
    const token = phone.currentToken();
    const results = await race(30, () => otp.verifyLogin('login-racer', phone.persistentId, token));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect((await otp.deviceFromPersistentId<SequenceDevice>(phone.persistentId))!.counter).toBe(1);
  });

  it("sign-in guesses spend the user's one guessing budget, which then throttles the second factor too", async () => {
    const otp = fixture.otp();
    const login = await otp.createDevice('sequence', 'shared-budget', { confirmed: true, purpose: 'login' });
    const second = await otp.createDevice('sequence', 'shared-budget', { confirmed: true });
    expect(await otp.verifyLogin('shared-budget', login.persistentId, 'WRONG1')).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: 1 });
    expect(await otp.verify('shared-budget', second.persistentId, second.currentToken())).toMatchObject({ ok: false, reason: 'throttled', failureCount: 1 });
    fixture.clock.advanceSeconds(2);
    expect((await otp.verify('shared-budget', second.persistentId, second.currentToken())).ok).toBe(true);
  });

  it('refuses an unknown purpose, and one the plugin does not allow, storing nothing', async () => {
    const otp = fixture.otp();
    for (const purpose of ['sign-in', 'LOGIN', '', 42, null]) {
      const error = await otp.createDevice('sequence', 'bad-purpose', { purpose: purpose as never }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'purpose' });
      await expect(otp.enroll('sequence', 'bad-purpose', { purpose: purpose as never })).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'purpose' });
    }
    const restricted = fixture.otp({ devices: [secondFactorOnly()] });
    for (const purpose of ['login', 'both'] as const) {
      await expect(restricted.createDevice('sequence', 'bad-purpose', { purpose })).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'purpose' });
    }
    expect(await otp.devicesForUser('bad-purpose')).toEqual([]);
    expect((await restricted.createDevice('sequence', 'bad-purpose', { purpose: 'second-factor' })).purpose).toBe('second-factor');
  });

  it('refuses a devicesForUser purpose filter other than second-factor or login', async () => {
    const otp = fixture.otp();
    for (const purpose of ['both', 'sign-in', 1]) {
      await expect(otp.devicesForUser('filter', { purpose: purpose as never })).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'purpose' });
    }
  });

  it('gives a new device its plugin’s default purpose', async () => {
    const otp = fixture.otp({ devices: [defineDevicePlugin({ ...sequence(), defaultPurpose: 'both' })] });
    const enrolled = await otp.enroll('sequence', 'default-purpose');
    expect(enrolled.ok && enrolled.device.purpose).toBe('both');
  });

  it("records core's purpose step after each plugin's own steps", async () => {
    const source = fixture.otp().migrationSource();
    const names = (await source.getMigrations([])).map((entry) => source.getMigrationName(entry));
    expect(names.filter((name) => name.startsWith('sequence/'))).toEqual(['sequence/0001_create_device', 'sequence/core_0001_device_purpose']);
  });
});

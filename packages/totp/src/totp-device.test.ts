import { decodeBase32, createOtp, hotpToken, totpTimeStep } from '@otpkit/core';
import { FakeClock, RFC6238_KEYS, RFC6238_VECTORS, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { totp, type TOTPDevice, type TotpDeviceInput, type TotpOptions } from '@otpkit/totp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

for (const backend of testBackends()) {
  describe(`TOTPDevice on ${backend.name}`, () => {
    let database: TestDatabase;
    const clock = new FakeClock();
    let nextUser = 1;
    type TestOtp = ReturnType<typeof otpWith>;
    const otpWith = (options: Partial<TotpOptions> = {}) =>
      createOtp({
        knex: database.knex,
        devices: [totp({ throttle: { factor: 0 }, ...options })],
        guessThrottle: { factor: 0 },
        clock: clock.now,
        secretKeys: { '1': 'b'.repeat(64) },
      });
    const newUser = () => `totp-user-${nextUser++}`;
    /** The token of `device` at `offset` steps from the current one. */
    const tokenAt = (device: TOTPDevice, offset = 0) =>
      hotpToken(decodeBase32(device.revealKey()), totpTimeStep(clock.now(), device.step, device.t0) + offset, device);
    const reload = async (otp: TestOtp, device: TOTPDevice) => (await otp.deviceFromPersistentId(device.persistentId)) as TOTPDevice;
    const enrolled = async (otp: TestOtp, input: TotpDeviceInput = {}) => {
      const userId = newUser();
      const device = await otp.createDevice('totp', userId, { confirmed: true, ...input });
      return { userId, device };
    };

    beforeAll(async () => {
      database = await backend.createDatabase();
      await otpWith().migrate();
    });
    afterAll(async () => {
      await database?.destroy();
    });

    it('accepts every RFC 6238 vector for SHA-1, SHA-256 and SHA-512 with 8 digits', async () => {
      const otp = otpWith();
      for (const vector of RFC6238_VECTORS) {
        clock.set(vector.time * 1000);
        const { userId, device } = await enrolled(otp, { key: hex(RFC6238_KEYS[vector.algorithm]), algorithm: vector.algorithm, digits: 8, tolerance: 0 });
        expect(await otp.verifyToken(userId, device.persistentId, vector.token), `${vector.algorithm} at ${vector.time}`).not.toBeNull();
      }
      clock.set(Date.UTC(2026, 0, 1));
    });

    it('creates a device with 20 random key bytes, the defaults, no drift and no step used yet', async () => {
      const { device } = await enrolled(otpWith());
      expect(decodeBase32(device.revealKey())).toHaveLength(20);
      expect(device).toMatchObject({ step: 30, t0: 0, digits: 6, algorithm: 'sha1', tolerance: 1, drift: 0, lastT: -1 });
    });

    it('accepts the steps T-1 and T+1 with tolerance 1, and refuses T-2 and T+2', async () => {
      const otp = otpWith();
      for (const offset of [-1, 1]) {
        const { userId, device } = await enrolled(otp);
        expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, offset))).not.toBeNull();
      }
      for (const offset of [-2, 2]) {
        const { userId, device } = await enrolled(otp);
        expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, offset))).toBeNull();
      }
    });

    it('accepts only the current step with tolerance 0, at the first and the last second of the step', async () => {
      const otp = otpWith({ tolerance: 0 });
      clock.set(Date.UTC(2026, 0, 1, 0, 1, 0));
      const { userId, device } = await enrolled(otp);
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, -1))).toBeNull();
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, 1))).toBeNull();
      clock.advance(29_999);
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device))).not.toBeNull();
      clock.advance(1);
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device))).not.toBeNull();
    });

    it('rejects a token from an already-used time step, and any earlier step, even within the window', async () => {
      const otp = otpWith();
      const { userId, device } = await enrolled(otp);
      const current = tokenAt(device);
      expect(await otp.verifyToken(userId, device.persistentId, current)).not.toBeNull();
      const lastT = (await reload(otp, device)).lastT;
      expect(lastT).toBe(totpTimeStep(clock.now(), 30, 0));
      expect(await otp.verifyToken(userId, device.persistentId, current)).toBeNull();
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, -1))).toBeNull();
      clock.advanceSeconds(30);
      expect(await otp.verifyToken(userId, device.persistentId, current)).toBeNull(); // now T-1, within tolerance
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device))).not.toBeNull();
    });

    it('records the drift of a token from a neighbouring step and centres the window on it afterwards', async () => {
      const otp = otpWith();
      const { userId, device } = await enrolled(otp);
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, 1))).not.toBeNull();
      expect((await reload(otp, device)).drift).toBe(1);
      clock.advanceSeconds(300);
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, -1))).toBeNull(); // T-1 is now outside
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, 2))).not.toBeNull();
      expect((await reload(otp, device)).drift).toBe(2);
      clock.advanceSeconds(300);
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, 1))).not.toBeNull();
      expect((await reload(otp, device)).drift).toBe(1);
    });

    it('keeps the drift at 0 when drift sync is off', async () => {
      const otp = otpWith({ driftSync: false });
      const { userId, device } = await enrolled(otp);
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, 1))).not.toBeNull();
      expect((await reload(otp, device)).drift).toBe(0);
    });

    it('changes neither lastT nor drift on a failed verification', async () => {
      const otp = otpWith();
      const { userId, device } = await enrolled(otp);
      expect(await otp.verifyToken(userId, device.persistentId, tokenAt(device, 3))).toBeNull();
      expect(await otp.verifyToken(userId, device.persistentId, '12345')).toBeNull();
      const after = await reload(otp, device);
      expect(after).toMatchObject({ lastT: -1, drift: 0, throttlingFailureCount: 2 });
    });

    it('counts steps from t0 with the device step, digits and algorithm given at creation', async () => {
      const otp = otpWith();
      const { userId, device } = await enrolled(otp, { step: 60, t0: 1_000_000, digits: 8, algorithm: 'sha256', tolerance: 0 });
      expect(device).toMatchObject({ step: 60, t0: 1_000_000, digits: 8, algorithm: 'sha256' });
      const step = Math.floor((clock.now() / 1000 - 1_000_000) / 60);
      const token = hotpToken(decodeBase32(device.revealKey()), step, { algorithm: 'sha256', digits: 8 });
      expect(await otp.verifyToken(userId, device.persistentId, token)).not.toBeNull();
    });

    it('confirms a new device with a token that cannot then be used at the first login', async () => {
      const otp = otpWith();
      const userId = newUser();
      const device = await otp.createDevice('totp', userId);
      expect(device.confirmed).toBe(false);
      const token = tokenAt(device);
      expect(await otp.confirmDevice(device.userId, device.persistentId, token)).toMatchObject({ ok: true });
      expect(await otp.matchToken(userId, token)).toBeNull();
      expect(await otp.verifyToken(userId, device.persistentId, token)).toBeNull();
      clock.advanceSeconds(30);
      expect((await otp.matchToken(userId, tokenAt(device)))?.persistentId).toBe(device.persistentId);
    });

    it('stores the key sealed: the raw row holds neither the hex nor the base32 key', async () => {
      const otp = otpWith();
      const { device } = await enrolled(otp);
      const row = await database.knex('otp_totp_device').where('id', device.id).first();
      expect(row.key).not.toContain(hex(decodeBase32(device.revealKey())));
      expect(row.key).not.toContain(device.revealKey());
      expect(row.key.startsWith('otpkit$2$1$')).toBe(true);
      expect((await reload(otp, device)).revealKey()).toBe(device.revealKey());
    });

    it('re-seals the key under a new secret key with rotateSecrets and keeps verifying', async () => {
      const { userId, device } = await enrolled(otpWith());
      const rotated = createOtp({
        knex: database.knex,
        devices: [totp()],
        clock: clock.now,
        secretKeys: { '1': 'b'.repeat(64), '2': 'c'.repeat(64) },
      });
      expect(await rotated.rotateSecrets()).toBeGreaterThanOrEqual(1);
      const row = await database.knex('otp_totp_device').where('id', device.id).first();
      expect(row.key.startsWith('otpkit$2$2$')).toBe(true);
      expect(await rotated.verifyToken(userId, device.persistentId, tokenAt(device))).not.toBeNull();
    });

    it('takes a key as hex or base32 at creation, and refuses bad device input with a ValidationError', async () => {
      const otp = otpWith();
      const key = RFC6238_KEYS.sha1;
      expect(decodeBase32((await enrolled(otp, { key: hex(key) })).device.revealKey())).toEqual(key);
      expect(decodeBase32((await enrolled(otp, { secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' })).device.revealKey())).toEqual(key);
      const bad: [Record<string, unknown>, string][] = [
        [{ digits: 7 }, 'digits'],
        [{ algorithm: 'md5' }, 'algorithm'],
        [{ step: 0 }, 'step'],
        [{ step: 1.5 }, 'step'],
        [{ t0: -1 }, 't0'],
        [{ tolerance: 11 }, 'tolerance'],
        [{ key: 'zz' }, 'key'],
        [{ key: hex(key), secret: 'GEZDGNBV' }, 'key'],
        [{ secret: 'GEZDGNBV' }, 'secret'],
      ];
      for (const [input, field] of bad) {
        await expect(enrolled(otp, input), JSON.stringify(input)).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field });
      }
    });
  });
}

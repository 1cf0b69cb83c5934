import { execFileSync } from 'node:child_process';
import { decodeBase32, createOtp, hotpToken, type CreateDeviceInput } from '@otpkit/core';
import { FakeClock, RFC4226_VECTORS, RFC6238_KEYS, RFC6238_VECTORS, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { hotp, type HOTPDevice, type HotpDeviceInput, type HotpOptions } from '@otpkit/hotp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../test/support/external-tools.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

for (const backend of testBackends()) {
  describe(`HOTPDevice on ${backend.name}`, () => {
    let database: TestDatabase;
    const clock = new FakeClock();
    let nextUser = 1;
    type TestOtp = ReturnType<typeof otpWith>;
    const otpWith = (options: Partial<HotpOptions> = {}) =>
      createOtp({ knex: database.knex, devices: [hotp({ throttle: { factor: 0 }, ...options })], guessThrottle: { factor: 0 }, clock: clock.now, secretKeys: { '1': 'e'.repeat(64) } });
    const enrolled = async (otp: TestOtp, input: HotpDeviceInput & CreateDeviceInput = {}) => {
      const userId = `hotp-user-${nextUser++}`;
      const device = await otp.createDevice('hotp', userId, { confirmed: true, ...input });
      return { userId, device, verify: (token: string) => otp.verifyToken(userId, device.persistentId, token) };
    };
    const tokenAt = (device: HOTPDevice, counter: number) => hotpToken(decodeBase32(device.revealKey()), counter, device);
    const counterOf = async (otp: TestOtp, device: HOTPDevice) => ((await otp.deviceFromPersistentId(device.persistentId)) as HOTPDevice).counter;

    beforeAll(async () => {
      database = await backend.createDatabase();
      await otpWith().migrate();
    });
    afterAll(async () => {
      await database?.destroy();
    });

    it('accepts the RFC 4226 vectors in order, one counter value each', async () => {
      const otp = otpWith();
      const { device, verify } = await enrolled(otp, { key: hex(RFC4226_VECTORS.key), tolerance: 0 });
      for (const [counter, token] of RFC4226_VECTORS.tokens.entries()) {
        expect(await verify(token), `counter ${counter}`).not.toBeNull();
        expect(await counterOf(otp, device)).toBe(counter + 1);
      }
    });

    it('accepts the RFC 6238 vectors as HOTP values of their time step, for SHA-1, SHA-256 and SHA-512', async () => {
      const otp = otpWith();
      for (const vector of RFC6238_VECTORS) {
        const counter = Math.floor(vector.time / 30);
        const input = { key: hex(RFC6238_KEYS[vector.algorithm]), algorithm: vector.algorithm, digits: 8 as const, counter, tolerance: 0 };
        const { verify } = await enrolled(otp, input);
        expect(await verify(vector.token), `${vector.algorithm} at ${vector.time}`).not.toBeNull();
      }
    });

    it('creates a device with 20 random key bytes, counter 0 and a look-ahead of 5', async () => {
      const { device } = await enrolled(otpWith());
      expect(decodeBase32(device.revealKey())).toHaveLength(20);
      expect(device).toMatchObject({ digits: 6, algorithm: 'sha1', tolerance: 5, counter: 0 });
    });

    it('looks ahead up to tolerance counter values and moves the counter past the match', async () => {
      const otp = otpWith();
      const { device, verify } = await enrolled(otp);
      expect(await verify(tokenAt(device, 6))).toBeNull(); // beyond counter + 5
      expect(await verify(tokenAt(device, 5))).not.toBeNull();
      expect(await counterOf(otp, device)).toBe(6);
      expect(await verify(tokenAt(device, 12))).toBeNull();
      expect(await verify(tokenAt(device, 11))).not.toBeNull();
      expect(await counterOf(otp, device)).toBe(12);
    });

    it('refuses a spent token and every skipped one below the counter', async () => {
      const otp = otpWith();
      const { device, verify } = await enrolled(otp);
      expect(await verify(tokenAt(device, 2))).not.toBeNull();
      for (const counter of [0, 1, 2]) expect(await verify(tokenAt(device, counter)), `counter ${counter}`).toBeNull();
      expect(await verify(tokenAt(device, 3))).not.toBeNull();
    });

    it('leaves the counter alone when a token does not match', async () => {
      const otp = otpWith({ tolerance: 0 });
      const { device, verify } = await enrolled(otp, { counter: 40 });
      expect(await verify(tokenAt(device, 41))).toBeNull();
      expect(await verify('abc123')).toBeNull();
      expect(await counterOf(otp, device)).toBe(40);
      expect(await verify(tokenAt(device, 40))).not.toBeNull();
    });

    it('confirms a new device with a token that cannot then be used at the first login', async () => {
      const otp = otpWith();
      const userId = `hotp-user-${nextUser++}`;
      const device = await otp.createDevice('hotp', userId);
      const token = tokenAt(device, 0);
      expect(await otp.confirmDevice(device.userId, device.persistentId, token)).toMatchObject({ ok: true });
      expect(await otp.matchToken(userId, token)).toBeNull();
      expect((await otp.matchToken(userId, tokenAt(device, 1)))?.persistentId).toBe(device.persistentId);
    });

    it('stores the key sealed: the raw row holds neither the hex nor the base32 key', async () => {
      const otp = otpWith();
      const { device } = await enrolled(otp);
      const row = await database.knex('otp_hotp_device').where('id', device.id).first();
      expect(row.key).not.toContain(Buffer.from(decodeBase32(device.revealKey())).toString('hex'));
      expect(row.key).not.toContain(device.revealKey());
      expect(((await otp.deviceFromPersistentId(device.persistentId)) as HOTPDevice).revealKey()).toBe(device.revealKey());
    });

    it('refuses bad device input with a ValidationError naming the field', async () => {
      const otp = otpWith();
      const bad: [Record<string, unknown>, string][] = [
        [{ digits: 9 }, 'digits'],
        [{ digits: '6' }, 'digits'],
        [{ algorithm: 'sha384' }, 'algorithm'],
        [{ tolerance: 101 }, 'tolerance'],
        [{ counter: -1 }, 'counter'],
        [{ counter: 2 ** 53 }, 'counter'],
        [{ key: '0'.repeat(31) }, 'key'],
        [{ secret: 'not base32!' }, 'secret'],
      ];
      for (const [input, field] of bad) {
        await expect(enrolled(otp, input), JSON.stringify(input)).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field });
      }
    });

    it("writes a Key-URI with the device's current counter", async () => {
      const otp = otpWith({ issuer: (device) => `Acme ${device.name}`, image: 'https://acme.example/token.png' });
      const { device, verify } = await enrolled(otp, { name: 'Key fob', digits: 8, algorithm: 'sha512' });
      expect(await verify(tokenAt(device, 3))).not.toBeNull();
      const current = (await otp.deviceFromPersistentId(device.persistentId)) as HOTPDevice;
      expect(await current.keyUri({ account: 'bob@example.com' })).toBe(
        `otpauth://hotp/Acme%20Key%20fob:bob%40example.com?secret=${device.revealKey()}&issuer=Acme%20Key%20fob&algorithm=SHA512&digits=8&counter=4&image=https%3A%2F%2Facme.example%2Ftoken.png`,
      );
      // This database has no users table to read a username from.
      await expect(current.keyUri()).rejects.toMatchObject({ code: 'ERR_OTP_STORAGE' });
    });

    it.runIf(haveTools('oathtool'))("accepts the codes oathtool computes from the Key-URI's secret and counter", async () => {
      const otp = otpWith();
      const { device, verify } = await enrolled(otp, { counter: 17 });
      const params = new URL(await device.keyUri({ account: 'carol' })).searchParams;
      const oathtool = (counter: number) =>
        execFileSync('/usr/bin/oathtool', ['--hotp', '-b', `--digits=${params.get('digits')}`, `--counter=${counter}`, params.get('secret')!], {
          encoding: 'utf8',
        }).trim();
      const start = Number(params.get('counter'));
      expect(await verify(oathtool(start))).not.toBeNull();
      expect(await verify(oathtool(start + 3))).not.toBeNull(); // two presses never submitted
      expect(await counterOf(otp, device)).toBe(start + 4);
    });
  });
}

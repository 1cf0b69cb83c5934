import { createOtp, decodeBase32 } from '@otpkit/core';
import { FakeClock, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { totp, type TOTPDevice, type TotpOptions } from '@otpkit/totp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

for (const backend of testBackends()) {
  describe(`TOTPDevice Key-URI and QR codes on ${backend.name}`, () => {
    let database: TestDatabase;
    let userId: number;
    const clock = new FakeClock();
    const otpWith = (options: Partial<TotpOptions> = {}) =>
      createOtp({ knex: database.knex, devices: [totp(options)], clock: clock.now, logger: { warn: () => {} } });

    beforeAll(async () => {
      database = await backend.createDatabase();
      await database.knex.schema.createTable('users', (table) => {
        table.increments('id');
        table.string('username', 64).notNullable();
        table.string('email', 128);
      });
      await database.knex('users').insert({ username: 'alice smith', email: 'alice@example.com' });
      userId = Number((await database.knex('users').where('username', 'alice smith').first('id')).id);
      await otpWith().migrate();
    });
    afterAll(async () => {
      await database?.destroy();
    });

    it("names the owner's username from the users table and writes the device's parameters", async () => {
      const otp = otpWith({ issuer: 'Acme: Billing', image: 'https://acme.example/logo.png' });
      const device = await otp.createDevice('totp', userId, { digits: 8, algorithm: 'sha256', step: 60 });
      const uri = await device.keyUri();
      expect(uri.startsWith('otpauth://totp/Acme%20Billing:alice%20smith?')).toBe(true);
      const params = new URL(uri).searchParams;
      expect(decodeBase32(params.get('secret')!)).toEqual(decodeBase32(device.revealKey()));
      expect(params.get('secret')).toBe(device.revealKey());
      expect(Object.fromEntries(params)).toMatchObject({
        issuer: 'Acme Billing',
        algorithm: 'SHA256',
        digits: '8',
        period: '60',
        image: 'https://acme.example/logo.png',
      });
    });

    it('uses an explicit account name and an issuer computed from the device', async () => {
      const otp = otpWith({ issuer: (device) => `Acme (${device.name})` });
      const device = await otp.createDevice('totp', userId + 1000, { name: 'Work phone' });
      expect(await device.keyUri({ account: 'ali@example.com' })).toMatch(
        /^otpauth:\/\/totp\/Acme%20\(Work%20phone\):ali%40example\.com\?secret=[A-Z2-7]{32}&issuer=Acme%20\(Work%20phone\)&algorithm=SHA1&digits=6&period=30$/,
      );
    });

    it('refuses to guess an account name for an owner missing from the users table', async () => {
      const device = await otpWith().createDevice('totp', userId + 1000);
      await expect(device.keyUri()).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'account' });
    });

    it('renders the Key-URI as a PNG data URL, an SVG document and terminal text', async () => {
      const device = await otpWith({ issuer: 'Acme' }).createDevice('totp', userId);
      const png = await device.qrCode('png');
      expect(png.startsWith('data:image/png;base64,')).toBe(true);
      expect(Buffer.from(png.slice(png.indexOf(',') + 1), 'base64').subarray(1, 4).toString()).toBe('PNG');
      expect(await device.qrCode('svg')).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
      const terminal = await device.qrCode('terminal');
      expect(terminal.split('\n').length).toBeGreaterThan(20);
      expect(terminal).toMatch(/[█▀▄]/);
      await expect(device.qrCode('gif' as never)).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'format' });
    });
  });
}

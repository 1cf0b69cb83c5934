import { expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { createOtpkit01Schema } from '../migrations/fixtures/otpkit-01-schema.js';
import { describeOnBackends } from './support/backends.js';
import { enrolBackupCodes } from './support/backup-codes.js';

const devices = [totp(), staticTokens()];

// MySQL/MariaDB compared user_id case-insensitively and ignoring trailing spaces, while ownership
// was checked exactly in JavaScript: "Carol" listed carol's devices, shared her budget and spent
// her backup codes through matchToken.
describeOnBackends('user ids compare byte for byte', { devices }, (fixture) => {
  const lookalikes = ['Carol', 'CAROL', 'carol ', 'carol  ', 'Carol '];

  it("a look-alike user id (case, trailing spaces) never lists carol's devices", async () => {
    const otp = fixture.otp({ devices });
    const device = await otp.createDevice('totp', 'carol', { confirmed: true });
    for (const other of lookalikes) {
      expect(await otp.devicesForUser(other)).toEqual([]);
      expect(await otp.userHasDevice(other)).toBe(false);
    }
    expect((await otp.devicesForUser('carol')).map((d) => d.persistentId)).toEqual([device.persistentId]);
  });

  it("a look-alike user id cannot spend carol's backup codes through matchToken", async () => {
    const otp = fixture.otp({ devices });
    const { device: backup, codes: [code] } = await enrolBackupCodes(otp, 'carol-codes', 2);
    for (const other of ['Carol-codes', 'carol-codes ', 'CAROL-CODES']) {
      expect(await otp.matchToken(other, code)).toBeNull();
    }
    expect((await otp.matchToken('carol-codes', code))?.persistentId).toBe(backup.persistentId);
  });

  it("a look-alike user id does not share carol's guessing budget", async () => {
    const otp = fixture.otp({ devices });
    await otp.createDevice('totp', 'carol-budget', { confirmed: true });
    expect(await otp.match('Carol-budget', '000000')).toMatchObject({ ok: false, reason: 'invalid_token' });
    expect(await otp.match('carol-budget ', '000000')).toMatchObject({ ok: false, reason: 'invalid_token' });
    // carol's own budget is untouched: her first miss is her first failure.
    expect(await otp.match('carol-budget', '000000')).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: 1 });
  });

  it('the tables compare byte for byte on the database itself', async () => {
    const otp = fixture.otp({ devices });
    await otp.createDevice('totp', 'dave', { confirmed: true });
    const { knex } = fixture.database;
    for (const other of ['Dave', 'dave ']) {
      expect(await knex('otp_totp_device').where('user_id', other)).toHaveLength(0);
    }
    expect(await knex('otp_totp_device').where('user_id', 'dave')).toHaveLength(1);
  });
});

describeOnBackends('a 0.1 database upgraded to byte-exact user ids', { devices }, (fixture) => {
  it('the 0.2 migration converts existing tables, keeping their rows', async () => {
    const database = await fixture.backend.createDatabase({ poolSize: 2 });
    try {
      const { knex } = database;
      // The 0.1 schema as 0.1 created it (the server's default collation), and its migration records.
      await createOtpkit01Schema(knex);
      await knex('otp_totp_device').insert({ user_id: 'erin', name: 'Phone', confirmed: true, created_at: 0, throttling_failure_count: 0, key: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', digits: 6, algorithm: 'sha1', tolerance: 1, step: 30, t0: 0, drift: 0, last_t: -1 });

      const otp = fixture.otp({ devices: [totp()], knex });
      await otp.migrate();
      expect(await knex('otp_totp_device').where('user_id', 'Erin')).toHaveLength(0);
      expect(await otp.devicesForUser('erin')).toHaveLength(1);
    } finally {
      await database.destroy();
    }
  });
});

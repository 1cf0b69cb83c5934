import { expect, it } from 'vitest';
import { email } from '@otpkit/email';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { totpCode } from './support/attacker.js';
import { describeOnBackends } from './support/backends.js';
import { enrolBackupCodes } from './support/backup-codes.js';

// The transport is never reached: challenges of expired enrolments are refused before sending.
const devices = [totp(), staticTokens(), email({ transport: 'smtp://127.0.0.1:9', from: 'otpkit <otp@otpkit.test>' })];
const HOUR = 3_600_000;

// An unconfirmed device stayed confirmable forever: an abandoned enrolment (a QR code left on a
// screen, a key in a screenshot) was an open door. Enrolments now expire after `enrolmentTimeout`.
describeOnBackends('abandoned enrolments expire', { devices }, (fixture) => {
  it('an unconfirmed device older than the timeout cannot be confirmed or challenged, and is swept', async () => {
    const otp = fixture.otp({ devices });
    const abandoned = await otp.createDevice('totp', 'left', { name: 'Old phone' });
    const inbox = await otp.createDevice('email', 'left', { email: 'left@otpkit.test' });
    // Backup codes enrol confirmed; one left unconfirmed (as a 0.1 enrolment could be) keeps its codes in a table of their own.
    const { device: codes } = await enrolBackupCodes(otp, 'left', 3);
    await fixture.database.knex('otp_static_device').where('id', codes.id).update({ confirmed: false });
    fixture.clock.advance(HOUR - 1);
    const fresh = await otp.createDevice('totp', 'other-user');
    fixture.clock.advance(1);

    expect(await otp.confirmDevice('left', abandoned.persistentId, totpCode(abandoned, fixture.clock))).toEqual({ ok: false, reason: 'no_device' });
    expect(await otp.generateChallenge('left', inbox.persistentId)).toEqual({ ok: false, reason: 'no_device' });

    expect(await otp.sweepExpiredEnrolments()).toBe(3);
    expect(await otp.devicesForUser('left')).toEqual([]);
    expect(await fixture.database.knex('otp_static_token').where('device_id', codes.id)).toEqual([]);
    // A younger enrolment is kept, and can still be confirmed.
    expect(await otp.confirmDevice('other-user', fresh.persistentId, totpCode(fresh, fixture.clock))).toMatchObject({ ok: true });
  });

  it("enrolling a new device sweeps the user's own expired enrolments", async () => {
    const otp = fixture.otp({ devices });
    const stale = await otp.createDevice('totp', 'again');
    const kept = await otp.createDevice('totp', 'someone-else');
    fixture.clock.advance(HOUR);
    const next = await otp.createDevice('totp', 'again');
    expect((await otp.devicesForUser('again')).map((device) => device.persistentId)).toEqual([next.persistentId]);
    expect(await otp.deviceFromPersistentId(stale.persistentId)).toBeNull();
    expect(await otp.deviceFromPersistentId(kept.persistentId)).not.toBeNull();
    await otp.sweepExpiredEnrolments();
  });

  it('a confirmed device never expires, and the timeout is configurable', async () => {
    const otp = fixture.otp({ devices, enrolmentTimeout: 60 });
    const confirmed = await otp.createDevice('totp', 'kept', { confirmed: true });
    const pending = await otp.createDevice('totp', 'kept');
    fixture.clock.advance(60_000);
    expect(await otp.confirmDevice('kept', pending.persistentId, totpCode(pending, fixture.clock))).toEqual({ ok: false, reason: 'no_device' });
    await otp.sweepExpiredEnrolments();
    expect((await otp.devicesForUser('kept')).map((device) => device.persistentId)).toEqual([confirmed.persistentId]);
    expect(await otp.verify('kept', confirmed.persistentId, totpCode(confirmed, fixture.clock))).toMatchObject({ ok: true });
  });
});

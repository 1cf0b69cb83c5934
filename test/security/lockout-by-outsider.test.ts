import { expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { hotp } from '@otpkit/hotp';
import { guessFor, totpCode, wrongCode, type GuessPath } from './support/attacker.js';
import { describeOnBackends } from './support/backends.js';
import { enrolBackupCodes } from './support/backup-codes.js';

const devices = [totp(), hotp(), staticTokens()];
const HOURS = 3_600_000;

// A password-only session sent wrong codes to every device (`otp_device`, the API's `device`) and
// through matchToken: every factor, backup codes included, stayed locked for days, and the delay
// grew without bound. Backup codes are unguessable (≥ 50 bits), so they are never throttled.
describeOnBackends('an outsider cannot lock a user out', { devices }, (fixture) => {
  it('48 hours of wrong guesses on every path leave the backup code working at once', async () => {
    const otp = fixture.otp({ devices });
    const user = 'victim';
    const app = await otp.createDevice('totp', user, { confirmed: true });
    const token = await otp.createDevice('hotp', user, { confirmed: true });
    const { device: backup, codes: [viaVerify, viaMatch] } = await enrolBackupCodes(otp, user, 2);
    const paths: GuessPath[] = [
      (guess) => otp.verify(user, app.persistentId, guess),
      (guess) => otp.verify(user, token.persistentId, guess),
      (guess) => otp.verify(user, backup.persistentId, `${guess}aaaaaa`),
      (guess) => otp.match(user, guess),
    ];
    const attack = await guessFor(fixture.clock, 48 * HOURS, paths, () => wrongCode(totpCode(app, fixture.clock)));
    expect(attack.units).toBeGreaterThanOrEqual(15); // the guessing budget is spent

    // The very next instant: the user's backup codes work, through the device and through match.
    expect((await otp.verify(user, backup.persistentId, viaVerify))).toMatchObject({ ok: true });
    expect((await otp.match(user, viaMatch))).toMatchObject({ ok: true, device: { id: backup.id } });
    expect((await otp.deviceFromPersistentId(backup.persistentId))!.throttlingFailureCount).toBe(0);
  });

  it('the delay a spent budget imposes is capped at 12 hours, so the user is never locked out of a TOTP code for longer', async () => {
    const otp = fixture.otp({ devices });
    const user = 'capped';
    const app = await otp.createDevice('totp', user, { confirmed: true });
    await guessFor(fixture.clock, 72 * HOURS, [(guess) => otp.verify(user, app.persistentId, guess)], () => wrongCode(totpCode(app, fixture.clock)));
    const refused = await otp.verify(user, app.persistentId, totpCode(app, fixture.clock));
    expect(refused).toMatchObject({ ok: false, reason: 'throttled' });
    const wait = (refused as { lockedUntil: number }).lockedUntil - fixture.clock.now();
    expect(wait).toBeLessThanOrEqual(12 * HOURS);
    fixture.clock.advance(wait);
    expect(await otp.verify(user, app.persistentId, totpCode(app, fixture.clock))).toMatchObject({ ok: true });
  });
});

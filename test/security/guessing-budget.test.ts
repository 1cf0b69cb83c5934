import { expect, it } from 'vitest';
import { GUESS_UNIT, type Otp, type VerifyOutcome } from '@otpkit/core';
import { email, type EmailDevice } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { staticTokens } from '@otpkit/static';
import { totp, type TOTPDevice } from '@otpkit/totp';
import { guessFor, totpCode, wrongCode, type GuessPath } from './support/attacker.js';
import { describeOnBackends } from './support/backends.js';

// The transport is never used: no challenge is asked, so nothing is sent.
const devices = [totp(), hotp(), staticTokens(), email({ transport: 'smtp://127.0.0.1:9', from: 'otpkit <otp@otpkit.test>' })];
const HOURS = 3_600_000;
/** The goal: an attacker's chance of success per day with the defaults. */
const GOAL = 5e-5;

/** `confirmDevice` on the user's enrolment in progress, enrolling a new one when the last expired. */
function confirmPath(otp: Otp, user: string): GuessPath {
  let pending: TOTPDevice | null = null;
  return async (guess) => {
    pending ??= (await otp.createDevice('totp', user)) as TOTPDevice;
    let outcome: VerifyOutcome = await otp.confirmDevice(user, pending.persistentId, guess);
    if (!outcome.ok && outcome.reason === 'no_device') {
      pending = (await otp.createDevice('totp', user)) as TOTPDevice;
      outcome = await otp.confirmDevice(user, pending.persistentId, guess);
    }
    return outcome;
  };
}

// Each device (`otp_device`, the API's `device`), matchToken and confirmDevice had a budget of its
// own, so a password-only attacker multiplied their guesses by the number of paths (measured:
// 1.5 · 10⁻⁴ a day with the defaults, 3× what docs/security.md said).
describeOnBackends('one guessing budget per user', { devices }, (fixture) => {
  it('guesses spread across devices and paths share one budget', async () => {
    const otp = fixture.otp({ devices });
    const user = 'spread';
    const app = await otp.createDevice('totp', user, { confirmed: true });
    const token = await otp.createDevice('hotp', user, { confirmed: true });
    const inbox = await otp.createDevice('email', user, { confirmed: true, email: 'spread@otpkit.test' });
    const wrong = wrongCode(totpCode(app, fixture.clock));
    const now = fixture.clock.now();

    // A TOTP guess costs 1 unit (3 codes of 10⁶): every path is refused until the budget allows it.
    expect(await otp.verify(user, app.persistentId, wrong)).toEqual({ ok: false, reason: 'invalid_token', failureCount: 1, lockedUntil: now + 2000 });
    expect(await otp.verify(user, inbox.persistentId, wrong)).toMatchObject({ ok: false, reason: 'throttled', lockedUntil: now + 2000 });
    // A guess that tests more chance waits the delays of all its units: HOTP (6 codes) 2 units, 2 + 4 s.
    const hotpRefused = await otp.verify(user, token.persistentId, wrong);
    expect(hotpRefused).toMatchObject({ ok: false, reason: 'throttled', lockedUntil: now + 6000 });
    // A match would test HOTP and email (the TOTP device's own throttle keeps it out for 1 s):
    // 6 + 1 codes of 10⁶, 3 units: 2 + 4 + 8 s.
    expect(await otp.match(user, wrong)).toMatchObject({ ok: false, reason: 'throttled', lockedUntil: now + 14_000 });
    expect(await confirmPath(otp, user)(wrong)).toMatchObject({ ok: false, reason: 'throttled', lockedUntil: now + 2000 });

    fixture.clock.set(now + 6000);
    const charged = await otp.verify(user, token.persistentId, wrong);
    expect(charged).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: 3 });
    expect(await otp.match(user, wrong)).toMatchObject({ ok: false, reason: 'throttled', failureCount: 3 });
    // With every device open, a match tests TOTP, HOTP and email: 10 codes of 10⁶, 4 units (8 + 16 + 32 + 64 s).
    fixture.clock.set(now + 6000 + 120_000 - 1);
    expect(await otp.match(user, wrong)).toMatchObject({ ok: false, reason: 'throttled', failureCount: 3 });
    fixture.clock.advance(1);
    const matched = await otp.match(user, wrong);
    expect(matched).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: 7 });

    // The real user's code, once the budget allows it, resets the budget for every path.
    fixture.clock.set((matched as { lockedUntil: number }).lockedUntil);
    expect(await otp.match(user, totpCode(app, fixture.clock))).toMatchObject({ ok: true });
    fixture.clock.advanceSeconds(30);
    expect(await otp.verify(user, app.persistentId, wrong)).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: 1 });
    fixture.clock.advanceSeconds(600);
  });

  it('an attacker gets 16 guesses in the first 24 hours and 18 in 48, on every path combined: under 5 · 10⁻⁵ a day', async () => {
    const otp = fixture.otp({ devices });
    const user = 'counted';
    const app = await otp.createDevice('totp', user, { confirmed: true });
    await otp.createDevice('static', user, { confirmed: true });
    const paths: GuessPath[] = [(guess) => otp.verify(user, app.persistentId, guess), (guess) => otp.match(user, guess), confirmPath(otp, user)];
    const wrong = () => wrongCode(totpCode(app, fixture.clock));

    const firstDay = await guessFor(fixture.clock, 24 * HOURS, paths, wrong);
    expect(firstDay).toEqual({ guesses: 16, units: 16 });
    // Each guess is tested against 3 codes of a 6-digit TOTP (a match: the TOTP device only; the backup codes are unguessable).
    expect(firstDay.guesses * 3e-6).toBeLessThanOrEqual(GOAL);
    const secondDay = await guessFor(fixture.clock, 24 * HOURS, paths, wrong, firstDay.units);
    expect(secondDay.guesses).toBe(2);
    expect(secondDay.guesses * 3e-6).toBeLessThanOrEqual(GOAL);
  });

  it('with a TOTP, an HOTP and an email device, what 24 hours of guessing can buy stays under the goal', async () => {
    const otp = fixture.otp({ devices });
    const user = 'mixed';
    const app = await otp.createDevice('totp', user, { confirmed: true });
    const token = await otp.createDevice('hotp', user, { confirmed: true });
    const inbox = await otp.createDevice('email', user, { confirmed: true, email: 'mixed@otpkit.test' });
    const paths: GuessPath[] = [
      (guess) => otp.match(user, guess),
      (guess) => otp.verify(user, token.persistentId, guess),
      (guess) => otp.verify(user, app.persistentId, guess),
      (guess) => otp.verify(user, inbox.persistentId, guess),
    ];
    const wrong = () => wrongCode(totpCode(app, fixture.clock));
    const firstDay = await guessFor(fixture.clock, 24 * HOURS, paths, wrong);
    // A unit is a chance of 3 · 10⁻⁶ (a miss is charged its chance, rounded up to whole units), and
    // a guess that tests several units waits the delays of all of them: 16 units in 24 h, as for TOTP alone.
    expect(firstDay.units).toBeLessThanOrEqual(16);
    expect(firstDay.units * GUESS_UNIT).toBeLessThanOrEqual(GOAL);
    const secondDay = await guessFor(fixture.clock, 24 * HOURS, paths, wrong, firstDay.units);
    expect((secondDay.units - firstDay.units) * GUESS_UNIT).toBeLessThanOrEqual(GOAL);
  });
});

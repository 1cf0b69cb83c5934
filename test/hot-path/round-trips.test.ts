/**
 * Round trips to the database per verification, counted at the socket: on PostgreSQL BEGIN and the
 * locking reads go out in one, the writes and COMMIT in the next; matchToken needs at most three
 * whatever the number of plugins. mysql2 answers each command before it sends the next, so on
 * MySQL/MariaDB every statement is a round trip; SQLite runs in-process.
 */
import { beforeAll, expect, it } from 'vitest';
import { createOtp, decodeBase32, hotpToken, totpTimeStep } from '@otpkit/core';
import { countRoundTrips, describeOnEachBackend, FakeClock, type BackendName } from '@otpkit/core/testing';
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { staticTokens } from '@otpkit/static';
import { totp, type TOTPDevice } from '@otpkit/totp';

/**
 * Round trips of a verification that finds the user's budget row, a success and a charged miss.
 * On MySQL/MariaDB, one per statement: START TRANSACTION, the budget's upsert and locking read,
 * the device's locking read, its UPDATE (and the budget's, for a miss), COMMIT.
 */
const VERIFY: Record<BackendName, { hit: number; miss: number }> = {
  postgres: { hit: 2, miss: 2 },
  mysql: { hit: 6, miss: 7 },
  sqlite: { hit: 0, miss: 0 },
};
/**
 * matchToken's round trips with four plugins: a TOTP hit and a backup code (each resetting the
 * budget a miss charged), and a miss. A backup code's row is deleted (and the deletion counted)
 * before the rest is written. On MySQL/MariaDB, one per statement: the four tables' locking reads
 * and the backup codes' read come after the budget's upsert and read.
 */
const MATCH: Record<BackendName, { hit: number; miss: number; backup: number }> = {
  postgres: { hit: 2, miss: 2, backup: 3 },
  mysql: { hit: 11, miss: 10, backup: 12 },
  sqlite: { hit: 0, miss: 0, backup: 0 },
};

describeOnEachBackend('round trips per verification', (block) => {
  const clock = new FakeClock();
  const create = () =>
    createOtp({
      knex: block.database.knex,
      devices: [
        totp({ throttle: { factor: 0 } }),
        hotp({ throttle: { factor: 0 } }),
        email({ transport: 'smtp://127.0.0.1:1', from: 'otpkit <otp@example.test>', throttle: { factor: 0 } }), // never sends here
        staticTokens({ throttle: { factor: 0 } }),
      ],
      clock: clock.now,
      secretKeys: { 1: Buffer.alloc(32, 7).toString('base64') },
      guessThrottle: { factor: 0 },
      logger: { warn: () => {} },
    });
  let otp: ReturnType<typeof create>;
  const user = 'round-tripper';
  let phone: TOTPDevice;
  let codes: readonly string[];
  const token = () => hotpToken(decodeBase32(phone.revealKey()), totpTimeStep(clock.now(), phone.step, phone.t0), phone);

  beforeAll(async () => {
    otp = create();
    await otp.migrate();
    phone = (await otp.createDevice('totp', user, { confirmed: true })) as TOTPDevice;
    await otp.createDevice('hotp', user, { confirmed: true });
    await otp.createDevice('email', user, { confirmed: true, email: 'round-tripper@example.test' });
    const enrolled = await otp.enroll('static', user, { count: 10 });
    if (!enrolled.ok) throw new Error(`no backup codes: ${enrolled.reason}`);
    codes = enrolled.display.codes;
  });

  const next = () => clock.advanceSeconds(30);

  it("verifies a user's first token (creating the budget row) in as many round trips as any other", async () => {
    const first = await countRoundTrips(() => otp.verify(user, phone.persistentId, token()));
    expect(first.result.ok).toBe(true);
    expect(first.roundTrips).toBe(VERIFY[block.backend.name].hit);
  });

  it('verifies a token in two round trips on PostgreSQL: BEGIN with the locking reads, then the writes with COMMIT', async () => {
    next();
    const { result, roundTrips } = await countRoundTrips(() => otp.verify(user, phone.persistentId, token()));
    expect(result.ok).toBe(true);
    expect(roundTrips).toBe(VERIFY[block.backend.name].hit);
  });

  it('refuses a wrong token and charges it to the device and the budget in two round trips on PostgreSQL', async () => {
    next();
    const { result, roundTrips } = await countRoundTrips(() => otp.verify(user, phone.persistentId, '000000'));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: 1 });
    expect(roundTrips).toBe(VERIFY[block.backend.name].miss);
  });

  it('matches a token among four plugins in two round trips, a miss in two, a backup code in three (PostgreSQL)', async () => {
    next();
    const hit = await countRoundTrips(() => otp.match(user, token()));
    expect(hit.result).toMatchObject({ ok: true, device: { persistentId: phone.persistentId } });
    next();
    const miss = await countRoundTrips(() => otp.match(user, '000000'));
    expect(miss.result).toMatchObject({ ok: false, reason: 'invalid_token' });
    next();
    await otp.match(user, '000000');
    next();
    const backup = await countRoundTrips(() => otp.match(user, codes[0]));
    expect(backup.result).toMatchObject({ ok: true, device: { persistentId: expect.stringMatching(/^static\//) } });
    expect({ hit: hit.roundTrips, miss: miss.roundTrips, backup: backup.roundTrips }).toEqual(MATCH[block.backend.name]);
    expect(Math.max(hit.roundTrips, miss.roundTrips, backup.roundTrips)).toBeLessThanOrEqual(block.backend.name === 'postgres' ? 3 : Infinity);
  });
});

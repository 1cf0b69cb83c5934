import { createOtp, hotpToken, totpTimeStep, type Device, type Otp, type SecretReport, type VerifyOutcome } from '@otpkit/core';
import { FakeClock, testBackends, type TestBackend, type TestDatabase } from '@otpkit/core/testing';
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { ConsoleProvider, sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../packages/email/src/test-support/smtp-sink.js';
import {
  ALICE,
  BOB,
  canonicalCode01,
  DEVICES_01,
  KEY_01,
  STEP_AT_UPGRADE,
  UPGRADE_AT,
  writeOtpkit01Database,
  type AnyDevice01,
  type Hotp01,
  type Totp01,
} from './fixtures/otpkit-01-database.js';

/** A 0.1 database after `migrate()` and `rotateSecrets()` with the current code, and what they reported. */
interface Upgraded {
  readonly database: TestDatabase;
  readonly clock: FakeClock;
  readonly otp: Otp;
  /** `otpkit_migrations` as 0.1 left it. */
  readonly recordedBy01: Record<string, unknown>[];
  /** `checkSecrets()` after `migrate()`, before `rotateSecrets()`. */
  readonly problemsBeforeRotation: SecretReport[];
  /** What the upgrade's `rotateSecrets()` returned. */
  readonly resealed: number;
  /** The text messages the SMS plugin sent. */
  readonly texts: string[];
}

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});

/** A fresh database holding the 0.1 fixture, upgraded the documented way: migrate, then rotateSecrets. */
async function upgradeOtpkit01(backend: TestBackend): Promise<Upgraded> {
  const database = await backend.createDatabase({ poolSize: 4 });
  const { knex } = database;
  await writeOtpkit01Database(knex);
  const recordedBy01 = await knex('otpkit_migrations').orderBy('id');
  const clock = new FakeClock(UPGRADE_AT);
  const texts: string[] = [];
  const otp = createOtp({
    knex,
    devices: [
      totp(),
      hotp(),
      staticTokens(),
      email({ transport: sink.url, from: 'otp@example.test' }),
      sms({ provider: new ConsoleProvider({ print: (line) => texts.push(line) }) }),
    ],
    clock: clock.now,
    secretKeys: { [KEY_01.id]: KEY_01.hex },
    logger: { warn: () => {} },
  });
  await otp.migrate();
  const problemsBeforeRotation = await otp.checkSecrets();
  const resealed = await otp.rotateSecrets();
  return { database, clock, otp, recordedBy01, problemsBeforeRotation, resealed, texts };
}

/** What must survive the upgrade of a device: owner, persistent id, name, confirmation, creation time. */
function identity(device: Device | AnyDevice01) {
  const { userId, persistentId, name, confirmed, createdAt } = device;
  return { userId, persistentId, name, confirmed, createdAt };
}

/** The fixture's devices of `userId`, in `devicesForUser` order (plugin order, then row id). */
function devicesOf(userId: string): AnyDevice01[] {
  const pluginOrder = ['totp', 'hotp', 'static', 'email', 'sms'];
  const rank = (device: AnyDevice01) => pluginOrder.indexOf(device.type) * 1000 + rowIdOf(device);
  return Object.values(DEVICES_01).filter((device) => device.userId === userId).sort((a, b) => rank(a) - rank(b));
}

/** The row id in a persistent id (`totp/3` → 3). */
function rowIdOf(device: AnyDevice01): number {
  return Number(device.persistentId.split('/')[1]);
}

/** The token of an OATH device at a TOTP time step or HOTP counter (0.1's devices: SHA-1, 6 digits). */
function oathTokenAt(device: Totp01 | Hotp01, counter: number): string {
  return hotpToken(new Uint8Array(Buffer.from(device.key, 'hex')), counter, { algorithm: 'sha1', digits: 6 });
}

/** The 6-digit code in the newest text message. */
function lastTextedCode(texts: readonly string[]): string {
  const code = /\b(\d{6})\b/.exec(texts.at(-1) ?? '')?.[1];
  if (code === undefined) throw new Error('no code was texted');
  return code;
}

for (const backend of testBackends()) {
  describe(`an otpkit 0.1 database upgraded on ${backend.name}`, () => {
    let upgraded: Upgraded;
    beforeEach(async () => {
      upgraded = await upgradeOtpkit01(backend);
    });
    afterEach(async () => {
      await upgraded.database.destroy();
    });

    /** Asserts a refusal, then moves the clock past any lock it set, so the next attempt is judged on its token alone. */
    function expectRefusedThenWait(outcome: VerifyOutcome): void {
      expect(outcome).toMatchObject({ ok: false, reason: 'invalid_token' });
      const lockedUntil = 'lockedUntil' in outcome ? outcome.lockedUntil : null;
      if (lockedUntil !== null) upgraded.clock.set(Math.max(upgraded.clock.now(), lockedUntil));
    }

    it('applies only the steps added since 0.1, in one new batch, and keeps the rows 0.1 recorded', async () => {
      const { database, otp, recordedBy01 } = upgraded;
      expect(recordedBy01.map((row) => [row.name, Number(row.batch)])).toEqual([
        ['core/0001_create_user_throttle', 1],
        ['totp/0001_create_device', 1],
        ['hotp/0001_create_device', 1],
        ['static/0001_create_device_and_token', 1],
        ['email/0001_create_device', 1],
        ['sms/0001_create_device', 1],
      ]);
      const recorded = await database.knex('otpkit_migrations').orderBy('id');
      expect(recorded.slice(0, recordedBy01.length)).toEqual(recordedBy01);
      const added = recorded.slice(recordedBy01.length);
      expect(added.length).toBeGreaterThan(0);
      expect(new Set(added.map((row) => Number(row.batch)))).toEqual(new Set([2]));
      expect(new Set(recorded.map((row) => row.name)).size).toBe(recorded.length);

      await otp.migrate();
      expect(await database.knex('otpkit_migrations').orderBy('id')).toEqual(recorded);
    });

    it("lists both users' devices under their 0.1 persistent ids, with owner, name, confirmation and creation time unchanged", async () => {
      const { otp } = upgraded;
      for (const userId of [ALICE, BOB]) {
        expect((await otp.devicesForUser(userId)).map(identity)).toEqual(devicesOf(userId).map(identity));
      }
      for (const device of Object.values(DEVICES_01)) {
        const found = await otp.deviceFromPersistentId(device.persistentId);
        expect(found === null ? null : identity(found)).toEqual(identity(device));
      }
    });

    it("adds the purpose column to every 0.1 device table after the plugin's own step, and fills every row with the plugin's default (second-factor)", async () => {
      const { database, otp } = upgraded;
      const { knex } = database;
      const recorded = (await knex('otpkit_migrations').orderBy('id')).map((row) => row.name as string);
      for (const type of ['totp', 'hotp', 'static', 'email', 'sms']) {
        expect(recorded).toContain(`${type}/core_0001_device_purpose`);
        expect(recorded.indexOf(`${type}/core_0001_device_purpose`)).toBeGreaterThan(recorded.findIndex((name) => name.startsWith(`${type}/0001_`)));
        const table = `otp_${type}_device`;
        expect(await knex.schema.hasColumn(table, 'purpose')).toBe(true);
        const rows = await knex(table).select('purpose');
        expect(rows.length).toBe(Object.values(DEVICES_01).filter((device) => device.type === type).length);
        for (const row of rows) expect(row.purpose).toBe('second-factor');
      }
      for (const userId of [ALICE, BOB]) {
        const devices = await otp.devicesForUser(userId);
        expect(devices.map((device) => device.purpose)).toEqual(devices.map(() => 'second-factor'));
        expect((await otp.devicesForUser(userId, { purpose: 'second-factor' })).length).toBe(devices.length);
        expect(await otp.devicesForUser(userId, { purpose: 'login' })).toEqual([]);
        expect(await otp.userHasDevice(userId)).toBe(true);
      }
    });

    it('a 0.1 second factor cannot sign in alone after the upgrade, and a new login device is not a second factor', async () => {
      const { otp, clock } = upgraded;
      const { bobPhone } = DEVICES_01;
      const token = oathTokenAt(bobPhone, totpTimeStep(clock.now(), 30, 0));
      expect(await otp.verifyLogin(BOB, bobPhone.persistentId, token)).toEqual({ ok: false, reason: 'no_device' });
      expect((await otp.verify(BOB, bobPhone.persistentId, token)).ok).toBe(true);
      const inbox = await otp.createDevice('email', BOB, { confirmed: true, purpose: 'login', email: 'bob.login@example.test' });
      expect((await otp.deviceFromPersistentId(inbox.persistentId))!.purpose).toBe('login');
      expect(await otp.devicesForUser(BOB, { purpose: 'login' })).toHaveLength(1);
    });

    it('keeps the unconfirmed device in enrolment: listed apart, refused at sign-in, and confirmed by a token of its 0.1 key', async () => {
      const { otp, clock } = upgraded;
      const { aliceNewPhone } = DEVICES_01;
      const confirmedIds = async () => (await otp.devicesForUser(ALICE, { confirmed: true })).map((device) => device.persistentId);
      const tokenNow = () => oathTokenAt(aliceNewPhone, totpTimeStep(clock.now(), 30, 0));
      expect((await otp.devicesForUser(ALICE, { confirmed: false })).map(identity)).toEqual([identity(aliceNewPhone)]);
      expect(await confirmedIds()).not.toContain(aliceNewPhone.persistentId);
      expect(await otp.verify(ALICE, aliceNewPhone.persistentId, tokenNow())).toEqual({ ok: false, reason: 'no_device' });
      expectRefusedThenWait(await otp.match(ALICE, tokenNow()));
      expect((await otp.confirmDevice(ALICE, aliceNewPhone.persistentId, tokenNow())).ok).toBe(true);
      expect(await confirmedIds()).toContain(aliceNewPhone.persistentId);
    });

    it("keeps the second user's devices theirs: Bob's TOTP matches for Bob, and is unknown to Alice", async () => {
      const { otp, clock } = upgraded;
      const { bobPhone } = DEVICES_01;
      const token = oathTokenAt(bobPhone, totpTimeStep(clock.now(), 30, 0));
      expect(await otp.verify(ALICE, bobPhone.persistentId, token)).toEqual({ ok: false, reason: 'no_device' });
      const matched = await otp.match(BOB, token);
      expect(matched.ok && matched.device.persistentId).toBe(bobPhone.persistentId);
      expect(await otp.match(ALICE, token)).toMatchObject({ ok: false, reason: 'invalid_token' });
    });

    it('lists every plaintext and 0.1-sealed value in checkSecrets before rotateSecrets, each as what it is', async () => {
      const { problemsBeforeRotation } = upgraded;
      const secretOf = (device: AnyDevice01, table: string, column: string): Partial<SecretReport> => ({
        table,
        column,
        id: rowIdOf(device),
        userId: device.userId,
        problem: device.writtenWith === null ? 'plaintext' : 'legacy_binding',
      });
      const { alicePhone, aliceNewPhone, bobPhone, aliceToken, aliceCodes, bobCodes, bobInbox, aliceMobile } = DEVICES_01;
      const digestsOf = (device: typeof aliceCodes, problem: SecretReport['problem']) =>
        device.codes.map(() => ({ table: 'otp_static_token', column: 'token_hash', id: expect.any(Number), userId: device.userId, problem }));
      expect(problemsBeforeRotation).toHaveLength(13);
      expect(problemsBeforeRotation).toEqual(
        expect.arrayContaining([
          secretOf(alicePhone, 'otp_totp_device', 'key'),
          secretOf(aliceNewPhone, 'otp_totp_device', 'key'),
          secretOf(bobPhone, 'otp_totp_device', 'key'),
          secretOf(aliceToken, 'otp_hotp_device', 'key'),
          secretOf(bobInbox, 'otp_email_device', 'token'),
          secretOf(aliceMobile, 'otp_sms_device', 'token'),
          ...digestsOf(aliceCodes, 'unkeyed_digest'),
          ...digestsOf(bobCodes, 'legacy_binding'),
        ]),
      );
    });

    // A keyed 0.1 digest is an HMAC of the code itself: rebinding it to its row needs the code, which
    // is never stored. Those codes keep working (see below) and stay listed until they are regenerated.
    it('reseals every 0.1 secret for its row and keys the unkeyed digests: checkSecrets then lists only the backup-code digests 0.1 keyed', async () => {
      const { database, otp, resealed } = upgraded;
      const { bobCodes } = DEVICES_01;
      expect(resealed).toBe(10);
      expect(await otp.rotateSecrets()).toBe(0);
      expect(await otp.checkSecrets()).toEqual(
        bobCodes.codes.map(() => ({ table: 'otp_static_token', column: 'token_hash', id: expect.any(Number), userId: BOB, problem: 'legacy_binding' })),
      );
      const stored = [
        ...(await database.knex('otp_totp_device').pluck('key')),
        ...(await database.knex('otp_hotp_device').pluck('key')),
        ...(await database.knex('otp_email_device').whereNotNull('token').pluck('token')),
        ...(await database.knex('otp_sms_device').whereNotNull('token').pluck('token')),
      ] as string[];
      expect(stored).toHaveLength(6);
      for (const value of stored) expect(value).toMatch(/^otpkit\$(?!1\$)/);
    });

    it('TOTP: refuses tokens at and before the last used step, and accepts one only the stored drift reaches', async () => {
      const { otp, clock } = upgraded;
      const { alicePhone } = DEVICES_01;
      const now = totpTimeStep(clock.now(), 30, 0);
      expect(now).toBe(STEP_AT_UPGRADE);
      // Drift 2, tolerance 1: steps now+1..now+3 are in the window (now-1..now+1 without the drift);
      // lastT = now+2 spends now+1 and now+2, leaving now+3.
      expectRefusedThenWait(await otp.verify(ALICE, alicePhone.persistentId, oathTokenAt(alicePhone, alicePhone.lastT)));
      expectRefusedThenWait(await otp.verify(ALICE, alicePhone.persistentId, oathTokenAt(alicePhone, alicePhone.lastT - 1)));
      expect(totpTimeStep(clock.now(), 30, 0)).toBe(now);
      const fresh = oathTokenAt(alicePhone, alicePhone.lastT + 1);
      expect(alicePhone.lastT + 1).toBe(now + alicePhone.drift + alicePhone.tolerance);
      expect((await otp.verify(ALICE, alicePhone.persistentId, fresh)).ok).toBe(true);
      expect((await otp.verify(ALICE, alicePhone.persistentId, fresh)).ok).toBe(false);
    });

    it('HOTP: refuses the counter 0.1 already spent, accepts the next one, and moves the counter past it', async () => {
      const { otp } = upgraded;
      const { aliceToken } = DEVICES_01;
      expectRefusedThenWait(await otp.verify(ALICE, aliceToken.persistentId, oathTokenAt(aliceToken, aliceToken.counter - 1)));
      expect((await otp.verify(ALICE, aliceToken.persistentId, oathTokenAt(aliceToken, aliceToken.counter))).ok).toBe(true);
      expectRefusedThenWait(await otp.verify(ALICE, aliceToken.persistentId, oathTokenAt(aliceToken, aliceToken.counter)));
      expect((await otp.verify(ALICE, aliceToken.persistentId, oathTokenAt(aliceToken, aliceToken.counter + 1))).ok).toBe(true);
    });

    it('a backup code 0.1 stored unkeyed verifies once, typed as shown, and leaves one code fewer', async () => {
      const { database, otp } = upgraded;
      const { aliceCodes } = DEVICES_01;
      const remaining = async () => Number((await database.knex('otp_static_token').where('device_id', rowIdOf(aliceCodes)).count({ n: '*' }).first())!.n);
      expect(await remaining()).toBe(aliceCodes.codes.length);
      const [first, second] = aliceCodes.codes as [string, string];
      expect((await otp.verify(ALICE, aliceCodes.persistentId, first.toUpperCase())).ok).toBe(true);
      expect(await remaining()).toBe(aliceCodes.codes.length - 1);
      expectRefusedThenWait(await otp.verify(ALICE, aliceCodes.persistentId, first));
      expect((await otp.verify(ALICE, aliceCodes.persistentId, canonicalCode01(second))).ok).toBe(true);
      expect(await remaining()).toBe(aliceCodes.codes.length - 2);
    });

    it('a backup code 0.1 keyed with the secret key still matches once at sign-in', async () => {
      const { otp } = upgraded;
      const { bobCodes } = DEVICES_01;
      const [code] = bobCodes.codes as [string];
      const matched = await otp.match(BOB, code);
      expect(matched.ok && matched.device.persistentId).toBe(bobCodes.persistentId);
      expect((await otp.match(BOB, code)).ok).toBe(false);
    });

    it('SMS: the token 0.1 left pending, sealed, verifies once; a new challenge then texts a token that verifies', async () => {
      const { otp, texts } = upgraded;
      const { aliceMobile } = DEVICES_01;
      expect((await otp.verify(ALICE, aliceMobile.persistentId, aliceMobile.pending.token)).ok).toBe(true);
      expectRefusedThenWait(await otp.verify(ALICE, aliceMobile.persistentId, aliceMobile.pending.token));
      expect(await otp.generateChallenge(ALICE, aliceMobile.persistentId)).toMatchObject({ ok: true });
      expect(texts.at(-1)).toContain(aliceMobile.number);
      expect((await otp.verify(ALICE, aliceMobile.persistentId, lastTextedCode(texts))).ok).toBe(true);
    });

    it("email: the token 0.1 left pending in clear verifies once; challenges to both users' addresses mail tokens that verify", async () => {
      const { otp } = upgraded;
      const { bobInbox, aliceInbox } = DEVICES_01;
      expect((await otp.verify(BOB, bobInbox.persistentId, bobInbox.pending.token)).ok).toBe(true);
      expectRefusedThenWait(await otp.verify(BOB, bobInbox.persistentId, bobInbox.pending.token));
      for (const inbox of [bobInbox, aliceInbox]) {
        expect(await otp.generateChallenge(inbox.userId, inbox.persistentId)).toMatchObject({ ok: true });
        expect((await otp.verify(inbox.userId, inbox.persistentId, sink.lastTokenTo(inbox.email))).ok).toBe(true);
      }
    });
  });
}

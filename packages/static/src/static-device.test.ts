import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ConfigurationError, createOtp, ValidationError, type SecretKeys } from '@otpkit/core';
import { FakeClock, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { addStaticToken, staticTokens, StaticDevice } from '@otpkit/static';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCodesExample } from './examples/backup-codes.js';

const KEY_1 = randomBytes(32).toString('base64');
const KEY_2 = randomBytes(32).toString('hex');

for (const backend of testBackends()) {
  describe(`static backup codes on ${backend.name}`, () => {
    let database: TestDatabase;
    const clock = new FakeClock();
    let nextUser = 1;
    const newUser = () => `static-user-${nextUser++}`;
    type TestOtp = ReturnType<typeof otpWith>;
    const otpWith = (secretKeys: SecretKeys = {}) =>
      createOtp({ knex: database.knex, devices: [staticTokens()], clock: clock.now, secretKeys, logger: { warn: () => {} } });
    /** Backup codes enrolled for `userId`: the device and the codes it showed. */
    const codesFor = async (otp: TestOtp, userId: string, input: { count?: unknown } = {}) => {
      const enrolled = await otp.enroll('static', userId, input);
      if (!enrolled.ok) throw new Error(`enrolment refused: ${enrolled.reason}`);
      return { device: enrolled.device, codes: enrolled.display.codes };
    };
    const enrol = async (otp: TestOtp) => {
      const userId = newUser();
      return { userId, ...(await codesFor(otp, userId)) };
    };
    const rawHashes = async (device: StaticDevice): Promise<string[]> =>
      (await database.knex('otp_static_token').where('device_id', device.id).orderBy('id')).map((row) => String(row.token_hash));

    beforeAll(async () => {
      database = await backend.createDatabase();
      await otpWith().migrate();
    });
    afterAll(async () => {
      await database?.destroy();
    });

    it('generates 10 distinct grouped codes of 12 characters without look-alike characters', async () => {
      const { codes } = await enrol(otpWith());
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
    });

    it('backup codes are a second factor only: enrolling them to sign in is refused on purpose, before and after a first enrolment', async () => {
      const otp = otpWith();
      const userId = newUser();
      for (const purpose of ['login', 'both'] as const) {
        await expect(otp.enroll('static', userId, { purpose })).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT', field: 'purpose' });
      }
      expect(await otp.devicesForUser(userId)).toEqual([]);
      const { device, codes } = await codesFor(otp, userId);
      expect(device.purpose).toBe('second-factor');
      await expect(otp.enroll('static', userId, { purpose: 'login' })).rejects.toMatchObject({ field: 'purpose' });
      expect(await otp.verifyLogin(userId, device.persistentId, codes[0])).toEqual({ ok: false, reason: 'no_device' });
      expect((await otp.verify(userId, device.persistentId, codes[0])).ok).toBe(true);
    });

    it('consumes exactly the one code that matched and leaves the others usable', async () => {
      const otp = otpWith();
      const { userId, device, codes } = await enrol(otp);
      expect(await otp.verifyToken(userId, device.persistentId, codes[3])).not.toBeNull();
      expect(await device.remainingTokens()).toBe(9);
      expect(await otp.verifyToken(userId, device.persistentId, codes[3])).toBeNull();
      expect(await device.remainingTokens()).toBe(9);
      clock.advanceSeconds(2);
      for (const code of codes.filter((_, index) => index !== 3)) {
        expect(await otp.matchToken(userId, code)).not.toBeNull();
      }
      expect(await device.remainingTokens()).toBe(0);
    });

    it('matches regardless of case, spaces and dashes', async () => {
      const otp = otpWith();
      const { userId, device, codes } = await enrol(otp);
      const bare = (code: string) => code.replace('-', '');
      const typed = [
        codes[0]!.toUpperCase(),
        bare(codes[1]!),
        ` ${bare(codes[2]!).slice(0, 3)} ${bare(codes[2]!).slice(3)} `,
        codes[3]!.replace('-', ' - ').replace(/^./, (c) => c.toUpperCase()),
      ];
      for (const token of typed) expect(await otp.verifyToken(userId, device.persistentId, token)).not.toBeNull();
      expect(await device.remainingTokens()).toBe(6);
    });

    it('regenerates a chosen number of codes on the same device, and refuses a count outside 1 to 100', async () => {
      const otp = otpWith();
      const { userId, device } = await enrol(otp);
      const again = await codesFor(otp, userId, { count: 3 });
      expect(again.device.persistentId).toBe(device.persistentId);
      expect(again.codes).toHaveLength(3);
      expect(await device.remainingTokens()).toBe(3);
      for (const bad of [0, 101, 2.5, Number.NaN, '3']) await expect(codesFor(otp, userId, { count: bad })).rejects.toThrow(ValidationError);
      expect(await device.remainingTokens()).toBe(3);
      expect(await otp.devicesForUser(userId)).toHaveLength(1);
    });

    it('replaces every code when regenerating', async () => {
      const otp = otpWith();
      const { userId, device, codes } = await enrol(otp);
      const { codes: fresh } = await codesFor(otp, userId);
      expect(await device.remainingTokens()).toBe(10);
      expect(fresh.filter((code) => codes.includes(code))).toEqual([]);
      expect(await otp.verifyToken(userId, device.persistentId, codes[0])).toBeNull();
      clock.advanceSeconds(2);
      expect(await otp.verifyToken(userId, device.persistentId, fresh[0])).not.toBeNull();
    });

    it('stores unkeyed SHA-256 digests, never the codes, without secret keys', async () => {
      const { device, codes } = await enrol(otpWith());
      const hashes = await rawHashes(device);
      expect(hashes).toHaveLength(10);
      for (const hash of hashes) {
        expect(hash).toMatch(/^sha256\$[A-Za-z0-9_-]{43}$/);
        for (const code of codes) expect(hash).not.toContain(code.replace('-', ''));
      }
    });

    it('stores HMAC digests under the newest key, never the codes, with secret keys', async () => {
      const { device, codes } = await enrol(otpWith({ '1': KEY_1 }));
      const hashes = await rawHashes(device);
      expect(hashes).toHaveLength(10);
      for (const hash of hashes) {
        expect(hash).toMatch(/^hmac2\$1\$[A-Za-z0-9_-]{43}$/);
        for (const code of codes) expect(hash).not.toContain(code.replace('-', ''));
      }
    });

    it('still matches codes after rotateSecrets while the old key stays listed', async () => {
      const { userId, device, codes } = await enrol(otpWith({ '1': KEY_1 }));
      const rotated = otpWith({ '1': KEY_1, '2': KEY_2 });
      await rotated.rotateSecrets();
      expect(await rotated.verifyToken(userId, device.persistentId, codes[0])).not.toBeNull();
      const added = await addStaticToken(rotated, userId);
      expect((await rawHashes(device)).at(-1)).toMatch(/^hmac2\$2\$/);
      expect(await rotated.verifyToken(userId, device.persistentId, added)).not.toBeNull();
    });

    it('deletes the codes of a removed device, and enrols a new device afterwards', async () => {
      const otp = otpWith();
      const { userId, device } = await enrol(otp);
      expect(await otp.removeDevice(userId, device.persistentId)).toBe(true);
      expect(await rawHashes(device)).toEqual([]);
      const again = await codesFor(otp, userId);
      expect(again.device.persistentId).not.toBe(device.persistentId);
      expect(await again.device.remainingTokens()).toBe(10);
    });

    it('adds a chosen code once when several requests add it at the same time', async () => {
      const otp = otpWith();
      const { userId, device } = await enrol(otp);
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => addStaticToken(otp, userId, 'same-code-42')));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ValidationError);
      expect(await device.remainingTokens()).toBe(11);
    });

    it('addStaticToken creates one confirmed "Backup Code" device and adds the given or a random code', async () => {
      const otp = otpWith();
      const userId = newUser();
      const chosen = await addStaticToken(otp, userId, 'Rescue-1234');
      expect(chosen).toBe('Rescue-1234');
      const random = await addStaticToken(otp, userId);
      expect(random).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
      const devices = await otp.devicesForUser(userId);
      expect(devices.map((device) => [device.name, device.confirmed])).toEqual([['Backup Code', true]]);
      expect(await otp.matchToken(userId, 'rescue1234')).not.toBeNull();
      expect(await otp.matchToken(userId, random)).not.toBeNull();
    });

    it("otp.issueBootstrapCode: an administrator's one-time code, shown once, audited as exactly one backupCodeAdded with the actor", async () => {
      const otp = createOtp({ knex: database.knex, devices: [staticTokens()], clock: clock.now, logger: { warn: () => {} }, audit: true });
      const admin = { via: 'admin', actor: 'admin:ops' };
      const fresh = newUser();
      const code = await otp.issueBootstrapCode(fresh, admin);
      expect(code).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
      const [device] = await otp.devicesForUser(fresh);
      expect(device).toMatchObject({ name: 'Backup Code', confirmed: true });
      expect(await (device as StaticDevice).remainingTokens()).toBe(1);
      const audited = (await otp.auditEvents(fresh)).map(({ type, deviceId, via, actor }) => ({ type, deviceId, via, actor }));
      expect(audited).toEqual([
        { type: 'backupCodeAdded', deviceId: device!.persistentId, ...admin },
        { type: 'deviceAdded', deviceId: device!.persistentId, ...admin },
      ]);
      expect(JSON.stringify(await database.knex('otp_audit_event').where('user_id', fresh))).not.toContain(code!.replaceAll('-', ''));

      // A user who already has backup codes keeps them and gets one more; one event.
      const { userId, device: existing, codes } = await enrol(otp);
      const before = (await otp.auditEvents(userId)).length;
      const added = (await otp.issueBootstrapCode(userId, admin))!;
      expect(await existing.remainingTokens()).toBe(11);
      expect((await otp.auditEvents(userId)).slice(0, -before).map(({ type, actor }) => [type, actor])).toEqual([['backupCodeAdded', 'admin:ops']]);
      expect(await otp.verifyToken(userId, existing.persistentId, added)).not.toBeNull();
      expect(await otp.verifyToken(userId, existing.persistentId, added)).toBeNull();
      expect(await otp.verifyToken(userId, existing.persistentId, codes[0])).not.toBeNull();
    });

    it('addStaticToken refuses a malformed or duplicate code with a ValidationError', async () => {
      const otp = otpWith();
      const userId = newUser();
      await addStaticToken(otp, userId, 'abc123');
      for (const bad of ['', 'not a/code', 'x'.repeat(65), 'ABC-123']) {
        const error = await addStaticToken(otp, userId, bad).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe('token');
      }
    });

    it('runs the documented example', async () => {
      process.env.OTP_KEY_1 = KEY_1;
      const result = await backupCodesExample(database.knex, newUser());
      expect(result.codes).toHaveLength(10);
      expect(result.verified).toBeInstanceOf(StaticDevice);
      expect(result.again).toBeNull();
      expect(result.remaining).toBe(9);
    });
  });
}

describe('staticTokens options', () => {
  it('resolves the documented defaults into a frozen object', () => {
    const { options } = staticTokens();
    expect(options).toEqual({
      count: 10,
      length: 12,
      alphabet: 'abcdefghjkmnpqrstuvwxyz23456789',
      groupSize: 4,
      throttle: { factor: 1 },
    });
    expect(Object.isFrozen(options)).toBe(true);
  });

  it('declares generated backup codes unguessable: at least 50 bits a guess with the defaults', () => {
    const { tokenEntropyBits } = staticTokens();
    expect(tokenEntropyBits).toBeGreaterThanOrEqual(50);
    expect(tokenEntropyBits).toBeCloseTo(12 * Math.log2(31) - Math.log2(10), 9);
    // 0.1's 10 characters (≈ 46 bits a guess against 10 codes) would be throttled like a 6-digit code.
    expect(staticTokens({ length: 10 }).tokenEntropyBits).toBeLessThan(50);
  });

  it.each([
    { count: 0 },
    { count: 1.5 },
    { length: 5 },
    { length: 65 },
    { groupSize: -1 },
    { alphabet: 'abc' },
    { alphabet: 'aabcdefghjkmnpqr' },
    { alphabet: 'ABCDEFGHJKMNPQRS' },
    { throttle: { factor: -1 } },
  ])('refuses %o with a ConfigurationError', (bad) => {
    expect(() => staticTokens(bad as never)).toThrow(ConfigurationError);
  });
});

describe('docs/static.md', () => {
  it('quotes the example that the tests run, verbatim', () => {
    const doc = readFileSync(new URL('../../../docs/static.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./examples/backup-codes.ts', import.meta.url), 'utf8');
    expect(doc).toContain(`\`\`\`ts\n${example.trimEnd()}\n\`\`\``);
  });
});

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { FakeClock, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl } from '../../packages/cli/src/test-support/run-bin.js';
import { haveTools } from '../support/external-tools.js';
import { createDjangoOtpTables, djangoTime, oathtool } from './fixtures/django-otp-rows.js';
import { useImportApp } from './fixtures/import-app.js';

/** The moment of the import: django-otp's state was written just before it. */
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const HOUR = 3_600_000;
/** TOTP's time step (30 s, t0 0) at NOW. */
const STEP = Math.floor(NOW / 1000 / 30);

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const keys = { alice: hex(20), aliceLater: hex(20), bob: hex(32), bobThrottled: hex(20), carol: hex(20), hotp: hex(20) };
/** Bob's TOTP device: 8 digits, 60 s steps from t0 = 120, its clock one step ahead, tolerance 2. */
const BOB = { step: 60, t0: 120, digits: 8, drift: 1 };
const bobStep = (ms: number) => Math.floor((ms / 1000 - BOB.t0) / BOB.step);
/** Bob's code of step `step` (with the drift applied): what his app shows then. */
const bobCode = (step: number) => oathtool(keys.bob, { digits: 8, step: 60, t0: 120, atMs: (BOB.t0 + step * BOB.step) * 1000 });

/** Writes the rows django-otp would have: three Django users, devices of every kind, a bad row. */
async function insertDjangoRows(knex: Knex, backend: Parameters<typeof djangoTime>[0]): Promise<void> {
  const at = (ms: number) => djangoTime(backend, ms);
  const user = (id: number, username: string) => ({ id, password: '!', is_superuser: 0, username, first_name: '', last_name: '', email: `${username}@example.com`, is_staff: 0, is_active: 1, date_joined: at(NOW - 90 * 24 * HOUR) });
  await knex('auth_user').insert([user(1, 'alice'), user(2, 'bob'), user(3, 'carol')]);
  const device = (id: number, userId: number, name: string, extra: object) => ({ id, user_id: userId, name, confirmed: 1, throttling_failure_count: 0, throttling_failure_timestamp: null, created_at: at(NOW - 24 * HOUR), last_used_at: null, ...extra });
  const totp = { step: 30, t0: 0, digits: 6, tolerance: 1, drift: 0, last_t: -1 };
  await knex('otp_totp_totpdevice').insert([
    // Alice's app last verified at the current step: that code must not work again.
    device(1, 1, 'Phone', { ...totp, key: keys.alice, last_t: STEP, last_used_at: at(NOW - 5000) }),
    device(2, 2, 'Tablet', { ...totp, key: keys.bob, step: BOB.step, t0: BOB.t0, digits: BOB.digits, tolerance: 2, drift: BOB.drift, last_t: bobStep(NOW) + BOB.drift }),
    // Three failures, the last one second ago: django-otp makes Bob wait 4 s.
    device(3, 2, 'Throttled', { ...totp, key: keys.bobThrottled, throttling_failure_count: 3, throttling_failure_timestamp: at(NOW - 1000) }),
    device(4, 2, 'Broken', { ...totp, key: 'zz'.repeat(20) }),
    device(5, 3, 'Carol phone', { ...totp, key: keys.carol }),
    device(6, 1, 'New phone', { ...totp, key: keys.aliceLater, confirmed: 0 }),
  ]);
  await knex('otp_hotp_hotpdevice').insert(device(1, 1, 'Key fob', { key: keys.hotp, digits: 6, tolerance: 2, counter: 5 }));
  // otpkit keeps one list of backup codes per user: Alice's second one is reported, not merged.
  await knex('otp_static_staticdevice').insert([device(1, 1, 'Backup', {}), device(2, 1, 'Old backup', {})]);
  await knex('otp_static_statictoken').insert([
    { id: 1, device_id: 1, token: 'abcd2345' },
    { id: 2, device_id: 1, token: 'efgh6789' },
    { id: 3, device_id: 2, token: 'oldtoken' },
  ]);
  await knex('otp_email_emaildevice').insert(device(1, 1, 'Mail', { token: null, valid_until: at(NOW), email: null, last_generated_timestamp: null }));
  const phone = (id: number, userId: number, number: string, method: string) => ({ id, user_id: userId, name: 'default', confirmed: 1, throttling_failure_count: 0, throttling_failure_timestamp: null, number, key: hex(20), method });
  await knex('two_factor_phonedevice').insert([phone(1, 2, '+14155550100', 'sms'), phone(2, 1, '+14155550199', 'call')]);
}

/** Every row of otpkit's device tables and import record, to compare before and after a run. */
async function otpkitRows(knex: Knex): Promise<unknown[]> {
  const tables = ['otp_totp_device', 'otp_hotp_device', 'otp_static_device', 'otp_static_token', 'otp_email_device', 'otp_sms_device', 'otp_device_import'];
  return Promise.all(tables.map((table) => knex(table).select('*').orderBy(table === 'otp_device_import' ? 'source' : 'id')));
}

interface Line {
  source: string;
  sourceUser: string;
  status: string;
  userId: string | null;
  persistentId: string | null;
  reason?: string;
  message?: string;
}

describe.runIf(haveTools('oathtool'))('otpkit import django-otp, with codes computed by oathtool', () => {
  for (const backend of testBackends()) {
    describe(`on ${backend.name}`, () => {
      let source: TestDatabase;
      const clock = new FakeClock(NOW);
      const app = useImportApp(backend, clock, NOW);
      const { otpkit } = app;
      const importJson = async (...extra: string[]) => {
        const result = await otpkit('import', 'django-otp', '--from', databaseUrl(source.config), '--json', ...extra);
        expect(result).toMatchObject({ code: 0, stderr: '' });
        return JSON.parse(result.stdout) as { dryRun: boolean; imported: number; alreadyImported: number; skipped: number; devices: Line[] };
      };
      const device = (lines: readonly Line[], sourceId: string) => lines.find((line) => line.source === sourceId)!;
      let imported: Line[] = [];
      const idOf = (sourceId: string) => device(imported, sourceId).persistentId!;

      beforeAll(async () => {
        source = await backend.createDatabase({ poolSize: 2 });
        await createDjangoOtpTables(source.knex, backend.name);
        await insertDjangoRows(source.knex, backend.name);
      });
      afterAll(async () => {
        await source?.destroy();
      });

      it('a dry run reports what it would import and writes nothing', async () => {
        const before = await otpkitRows(app.target.knex);
        const report = await importJson('--dry-run');
        expect(report).toMatchObject({ dryRun: true, imported: 8, alreadyImported: 0, skipped: 4 });
        expect(report.devices.filter((line) => line.status === 'imported').every((line) => line.persistentId === null)).toBe(true);
        expect(await otpkitRows(app.target.knex)).toEqual(before);
      });

      it('imports every device with its state, and reports each one skipped and why (unknown user, bad hex key, a second list of backup codes, voice calls)', async () => {
        const report = await importJson();
        imported = report.devices;
        expect(report).toMatchObject({ dryRun: false, imported: 8, alreadyImported: 0, skipped: 4 });
        expect(report.devices.map(({ source: id, status, userId, reason }) => ({ id, status, userId, reason }))).toEqual([
          { id: 'django-otp:totp:1', status: 'imported', userId: '1' },
          { id: 'django-otp:totp:6', status: 'imported', userId: '1' },
          { id: 'django-otp:hotp:1', status: 'imported', userId: '1' },
          { id: 'django-otp:static:1', status: 'imported', userId: '1' },
          { id: 'django-otp:static:2', status: 'skipped', userId: '1', reason: 'invalid' },
          { id: 'django-otp:email:1', status: 'imported', userId: '1' },
          { id: 'two-factor:phone:2', status: 'skipped', userId: '1', reason: 'unsupported' },
          { id: 'django-otp:totp:2', status: 'imported', userId: '2' },
          { id: 'django-otp:totp:3', status: 'imported', userId: '2' },
          { id: 'django-otp:totp:4', status: 'skipped', userId: '2', reason: 'invalid' },
          { id: 'two-factor:phone:1', status: 'imported', userId: '2' },
          { id: 'django-otp:totp:5', status: 'skipped', userId: null, reason: 'unknown-user' },
        ]);
        expect(device(imported, 'django-otp:totp:4').message).toBe('key: key must be hex digits');
        expect(device(imported, 'django-otp:totp:5').message).toBe('no otpkit user has id 3');
        expect(device(imported, 'django-otp:static:2').message).toBe('type: the user already has a static device, and may have only one');
        expect(device(imported, 'two-factor:phone:2').message).toContain('not voice calls');
        // Keys are sealed under the configured key: no hex key is stored or printed.
        const stored = JSON.stringify(await otpkitRows(app.target.knex));
        for (const key of Object.values(keys)) expect(stored).not.toContain(key);
        expect(JSON.stringify(report)).not.toContain(keys.alice);
      });

      it('keeps names, confirmed flags, parameters, drift and last step, and digests the static tokens', async () => {
        const devices = await app.otp.devicesForUser(1);
        expect(devices.map((d) => [d.persistentId, d.name, d.confirmed])).toEqual(
          expect.arrayContaining([
            [idOf('django-otp:totp:1'), 'Phone', true],
            [idOf('django-otp:totp:6'), 'New phone', false],
            [idOf('django-otp:hotp:1'), 'Key fob', true],
            [idOf('django-otp:static:1'), 'Backup', true],
            [idOf('django-otp:email:1'), 'Mail', true],
          ]),
        );
        const bob = await app.otp.deviceFromPersistentId(idOf('django-otp:totp:2'));
        expect(bob).toMatchObject({ userId: '2', step: 60, t0: 120, digits: 8, tolerance: 2, drift: 1, lastT: bobStep(NOW) + 1, algorithm: 'sha1' });
        const tokens = (await app.target.knex('otp_static_token').select('token_hash')) as { token_hash: string }[];
        expect(tokens).toHaveLength(2);
        expect(tokens.map((row) => row.token_hash).join()).not.toMatch(/abcd2345|efgh6789/);
        // A null address is the Django user's.
        expect(await app.target.knex('otp_email_device').select('email')).toEqual([{ email: 'alice@example.com' }]);
        expect(await app.target.knex('otp_sms_device').select('number', 'user_id')).toEqual([{ number: '+14155550100', user_id: '2' }]);
      });

      it('TOTP refuses the last code django-otp accepted (last_t) and accepts the next one', async () => {
        clock.set(NOW);
        const used = oathtool(keys.alice, { digits: 6, step: 30, t0: 0, atMs: NOW });
        expect(await app.otp.verify(1, idOf('django-otp:totp:1'), used)).toMatchObject({ ok: false, reason: 'invalid_token' });
        clock.set(NOW + HOUR);
        const next = oathtool(keys.alice, { digits: 6, step: 30, t0: 0, atMs: NOW + HOUR });
        expect(await app.otp.verify(1, idOf('django-otp:totp:1'), next)).toMatchObject({ ok: true });
      });

      it('TOTP with t0, a 60 s step, 8 digits and a known drift accepts what django-otp would, and refuses the step it last accepted', async () => {
        clock.set(NOW + 2 * HOUR);
        expect(await app.otp.verify(2, idOf('django-otp:totp:2'), bobCode(bobStep(NOW) + 1))).toMatchObject({ ok: false, reason: 'invalid_token' });
        clock.set(NOW + 3 * HOUR);
        // django-otp looks at the current step plus the drift: the app runs one step ahead.
        expect(await app.otp.verify(2, idOf('django-otp:totp:2'), bobCode(bobStep(NOW + 3 * HOUR) + 1))).toMatchObject({ ok: true });
      });

      it('HOTP refuses the last counter used and accepts the next one, once', async () => {
        clock.set(NOW + 4 * HOUR);
        const device = idOf('django-otp:hotp:1');
        expect(await app.otp.verify(1, device, oathtool(keys.hotp, { digits: 6, counter: 4 }))).toMatchObject({ ok: false, reason: 'invalid_token' });
        clock.set(NOW + 5 * HOUR);
        expect(await app.otp.verify(1, device, oathtool(keys.hotp, { digits: 6, counter: 5 }))).toMatchObject({ ok: true });
        clock.set(NOW + 6 * HOUR);
        expect(await app.otp.verify(1, device, oathtool(keys.hotp, { digits: 6, counter: 5 }))).toMatchObject({ ok: false, reason: 'invalid_token' });
      });

      it('static tokens work once each', async () => {
        clock.set(NOW + 7 * HOUR);
        const device = idOf('django-otp:static:1');
        expect(await app.otp.verify(1, device, 'ABCD2345')).toMatchObject({ ok: true });
        expect(await app.otp.verify(1, device, 'abcd2345')).toMatchObject({ ok: false, reason: 'invalid_token' });
        expect(await app.otp.verify(1, device, 'efgh6789')).toMatchObject({ ok: true });
      });

      it("keeps a device's throttle: django-otp's wait is still owed after the import", async () => {
        const device = idOf('django-otp:totp:3');
        clock.set(NOW);
        const code = oathtool(keys.bobThrottled, { digits: 6, step: 30, t0: 0, atMs: NOW });
        expect(await app.otp.verify(2, device, code)).toMatchObject({ ok: false, reason: 'throttled' });
        clock.set(NOW + 8 * HOUR);
        expect(await app.otp.verify(2, device, oathtool(keys.bobThrottled, { digits: 6, step: 30, t0: 0, atMs: NOW + 8 * HOUR }))).toMatchObject({ ok: true });
      });

      it('a second run changes nothing: every device is reported already imported, state and all', async () => {
        const before = await otpkitRows(app.target.knex);
        const report = await importJson();
        expect(report).toMatchObject({ dryRun: false, imported: 0, alreadyImported: 8, skipped: 4 });
        for (const line of report.devices.filter((entry) => entry.status === 'already-imported')) expect(line.persistentId).toBe(idOf(line.source));
        expect(await otpkitRows(app.target.knex)).toEqual(before);
        // The counter moved past 5 after the import; a re-run does not move it back.
        clock.set(NOW + 9 * HOUR);
        expect(await app.otp.verify(1, idOf('django-otp:hotp:1'), oathtool(keys.hotp, { digits: 6, counter: 5 }))).toMatchObject({ ok: false, reason: 'invalid_token' });
      });

      it('prints a readable report, maps users by username, email or a CSV file, and names a wrong source or mapping', async () => {
        const text = await otpkit('import', 'django-otp', '--from', databaseUrl(source.config), '--map-users', 'username', '--dry-run');
        expect(text).toMatchObject({ code: 0, stderr: '' });
        expect(text.stdout).toMatch(/^Would import 0 device\(s\); 8 already imported; 4 skipped\. Dry run: nothing was written\.\n/);
        expect(text.stdout).toContain("skipped           django-otp:totp:5  source user 3  unknown-user: no otpkit user has Django user 3's username");
        const byEmail = JSON.parse((await otpkit('import', 'django-otp', '--from', databaseUrl(source.config), '--map-users', 'email', '--dry-run', '--json')).stdout) as { devices: Line[] };
        expect(byEmail.devices.map((line) => [line.sourceUser, line.userId])).toEqual(expect.arrayContaining([['1', '1'], ['2', '2'], ['3', null]]));
        writeFileSync(join(app.dir, 'users.csv'), 'django_id,otpkit_id\n3,2\n');
        const csv = JSON.parse((await otpkit('import', 'django-otp', '--from', databaseUrl(source.config), '--map-users', 'csv:users.csv', '--dry-run', '--json')).stdout) as { devices: Line[] };
        expect(device(csv.devices, 'django-otp:totp:5')).toMatchObject({ status: 'imported', userId: '2', persistentId: null });
        expect(device(csv.devices, 'django-otp:totp:1')).toMatchObject({ status: 'skipped', reason: 'unknown-user', message: 'Django user 1 is not in the CSV file' });
        expect(await otpkit('import', 'django-otp', '--from', databaseUrl(app.target.config))).toMatchObject({
          code: 1,
          stderr: expect.stringContaining('--from: the database has no django-otp tables'),
        });
        expect(await otpkit('import', 'django-otp', '--from', './missing.sqlite')).toMatchObject({ code: 1, stderr: expect.stringMatching(/--from: the SQLite database .*missing\.sqlite does not exist \(ERR_OTP_CONFIGURATION\)/) });
        expect(await otpkit('import', 'django-otp', '--from', databaseUrl(source.config), '--map-users', 'nonsense')).toMatchObject({
          code: 1,
          stderr: expect.stringContaining('--map-users must be id, username, email or csv:PATH'),
        });
      });
    });
  }
});

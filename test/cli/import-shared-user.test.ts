/**
 * Two Django users map to one otpkit user. Django does not make email addresses unique: an
 * attacker who opened a Django account with the victim's address and enrolled an authenticator
 * had it imported into the victim's otpkit account by `--map-users email`, beside the victim's own,
 * and could pass the victim's second factor with it. A CSV file listing two Django ids for one
 * otpkit id did the same. Every source user that shares its otpkit user is now skipped, named.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl } from '../../packages/cli/src/test-support/run-bin.js';
import { createDjangoOtpTables, djangoTime } from './fixtures/django-otp-rows.js';
import { useImportApp } from './fixtures/import-app.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

interface Line {
  source: string;
  sourceUser: string;
  status: string;
  userId: string | null;
  reason?: string;
  message?: string;
}

for (const backend of testBackends()) {
  describe(`otpkit import django-otp with two Django users for one otpkit user, on ${backend.name}`, () => {
    let source: TestDatabase;
    const app = useImportApp(backend, new FakeClock(NOW), NOW);

    beforeAll(async () => {
      source = await backend.createDatabase({ poolSize: 2 });
      await createDjangoOtpTables(source.knex, backend.name);
      const at = djangoTime(backend.name, NOW - 86_400_000);
      const user = (id: number, username: string, email: string) => ({ id, password: '!', is_superuser: 0, username, first_name: '', last_name: '', email, is_staff: 0, is_active: 1, date_joined: at });
      // Mallory's Django account carries Alice's address; Bob's is his own.
      await source.knex('auth_user').insert([user(1, 'alice', 'alice@example.com'), user(2, 'bob', 'bob@example.com'), user(9, 'mallory', 'alice@example.com')]);
      const device = (id: number, userId: number, name: string) => ({
        id, user_id: userId, name, confirmed: 1, throttling_failure_count: 0, throttling_failure_timestamp: null, created_at: at, last_used_at: null,
        key: randomBytes(20).toString('hex'), step: 30, t0: 0, digits: 6, tolerance: 1, drift: 0, last_t: -1,
      });
      await source.knex('otp_totp_totpdevice').insert([device(1, 1, 'Alice phone'), device(2, 2, 'Bob phone'), device(3, 9, 'Mallory phone')]);
    });
    afterAll(async () => {
      await source?.destroy();
    });

    const importWith = async (mapping: string) => {
      const result = await app.otpkit('import', 'django-otp', '--from', databaseUrl(source.config), '--map-users', mapping, '--json');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      return (JSON.parse(result.stdout) as { devices: Line[] }).devices;
    };
    const bySource = (lines: readonly Line[]) => Object.fromEntries(lines.map((line) => [line.source, [line.status, line.reason ?? null, line.message ?? null]]));

    it("an attacker's Django account with the victim's email address does not bring its authenticator into the victim's account (--map-users email)", async () => {
      writeFileSync(join(app.dir, 'two-for-alice.csv'), '1,1\n9,1\n');
      for (const mapping of ['email', 'csv:two-for-alice.csv']) {
        expect(bySource(await importWith(mapping))).toEqual({
          'django-otp:totp:1': ['skipped', 'unknown-user', 'source user 9 maps to the same otpkit user (1): map each to a user of its own'],
          'django-otp:totp:3': ['skipped', 'unknown-user', 'source user 1 maps to the same otpkit user (1): map each to a user of its own'],
          'django-otp:totp:2': mapping === 'email' ? ['imported', null, null] : ['skipped', 'unknown-user', 'Django user 2 is not in the CSV file'],
        });
      }
      expect(await app.otp.devicesForUser(1)).toEqual([]);
      expect((await app.otp.devicesForUser(2)).map((device) => device.name)).toEqual(['Bob phone']);
    });
  });
}

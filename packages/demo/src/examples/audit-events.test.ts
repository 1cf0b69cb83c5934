import { decodeBase32, hotpToken, totpTimeStep, type OtpEvent } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditedOtp, recentActivity } from './audit-events.js';

process.env.OTP_KEY_1 ??= 'b'.repeat(64);

for (const backend of testBackends()) {
  describe(`docs/events.md example on ${backend.name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 4 });
    });
    afterAll(async () => database?.destroy());

    it('notifies the user of changes to their factors, logs throttling, and lists the activity newest first', async () => {
      const notices: OtpEvent[] = [];
      const lines: string[] = [];
      const otp = await createAuditedOtp(database.knex, async (event) => void notices.push(event), (line) => lines.push(line));
      const api = { ip: '203.0.113.9', userAgent: 'Firefox', via: 'api' };
      const phone = await otp.createDevice('totp', 'alice', {}, api);
      const code = hotpToken(decodeBase32(phone.revealKey()), totpTimeStep(Date.now(), 30, 0), { algorithm: 'sha1', digits: 6 });
      expect(await otp.confirmDevice('alice', phone.persistentId, code, api)).toMatchObject({ ok: true });
      await otp.verify('alice', phone.persistentId, 'ABCDEF', api);
      expect(await otp.verify('alice', phone.persistentId, 'ABCDEF', api)).toMatchObject({ reason: 'throttled' });
      await otp.enroll('static', 'alice', { count: 5 }, api);
      const enrolled = await otp.enroll('static', 'alice', { count: 5 }, api);
      if (!enrolled.ok) throw new Error(`backup codes refused: ${enrolled.reason}`);
      const { device: backup, display: { codes } } = enrolled;
      expect(await otp.removeDevice('alice', phone.persistentId, api)).toBe(true);

      expect(notices.map((event) => `${event.type} ${event.deviceId}`)).toEqual([
        `deviceConfirmed ${phone.persistentId}`,
        `backupCodesRegenerated ${backup.persistentId}`,
        `deviceRemoved ${phone.persistentId}`,
      ]);
      expect(lines).toEqual([expect.stringMatching(/^user alice throttled until \d{4}-.+Z \(203\.0\.113\.9, via api\)$/)]);
      const activity = await recentActivity(otp, 'alice');
      expect(activity.map((line) => line.split(' ').slice(1).join(' '))).toEqual([
        `deviceRemoved ${phone.persistentId} (api)`,
        `backupCodesRegenerated ${backup.persistentId} (api)`,
        `deviceAdded ${backup.persistentId} (api)`,
        `throttled ${phone.persistentId} (api)`,
        `failed ${phone.persistentId} (api)`,
        `deviceConfirmed ${phone.persistentId} (api)`,
        `deviceAdded ${phone.persistentId} (api)`,
      ]);
      expect(JSON.stringify(await otp.auditEvents('alice'))).not.toMatch(new RegExp([phone.revealKey(), ...codes].join('|')));
    });
  });
}

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBase32 } from '@otpkit/core';
import { FakeClock, testBackends } from '@otpkit/core/testing';
import { describe, expect, it } from 'vitest';
import { haveTools } from '../support/external-tools.js';
import { oathtool } from './fixtures/django-otp-rows.js';
import { useImportApp } from './fixtures/import-app.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const HOUR = 3_600_000;
const totpKey = randomBytes(20);
const hotpKey = randomBytes(32);

/** The export of another system: one `<user>,<otpauth URI>` per line, tab and space separators too, and lines that cannot be imported. */
const FILE = [
  '# exported from the old app',
  `alice,otpauth://totp/Acme:alice?secret=${encodeBase32(totpKey)}&issuer=Acme&period=30&digits=6`,
  `bob\totpauth://hotp/bob?secret=${encodeBase32(hotpKey)}&counter=3&digits=8`,
  `carol otpauth://totp/Acme:carol?secret=${encodeBase32(randomBytes(20))}`,
  'alice not-a-uri',
  'a-line-without-a-user',
  `bob,otpauth://totp/Short:bob?secret=${encodeBase32(randomBytes(10))}`,
  '',
].join('\n');

interface Report {
  dryRun: boolean;
  imported: number;
  alreadyImported: number;
  skipped: number;
  devices: { source: string; type: string; status: string; persistentId: string | null; reason?: string; message?: string }[];
}

describe.runIf(haveTools('oathtool'))('otpkit import uri, with codes computed by oathtool', () => {
  for (const backend of testBackends()) {
    describe(`on ${backend.name}`, () => {
      const clock = new FakeClock(NOW);
      const app = useImportApp(backend, clock, NOW);
      const importFile = async (...extra: string[]): Promise<Report> => {
        writeFileSync(join(app.dir, 'keys.txt'), FILE);
        const result = await app.otpkit('import', 'uri', '--file', 'keys.txt', '--json', ...extra);
        expect(result).toMatchObject({ code: 0, stderr: '' });
        return JSON.parse(result.stdout) as Report;
      };
      let report: Report;

      it('a dry run writes nothing', async () => {
        expect(await importFile('--dry-run')).toMatchObject({ dryRun: true, imported: 2, skipped: 4 });
        expect(await app.target.knex('otp_totp_device').count({ n: '*' })).toEqual([{ n: expect.toSatisfy((n) => Number(n) === 0) }]);
      });

      it('imports TOTP and HOTP keys, named after the issuer, and skips unknown users, malformed lines and short keys', async () => {
        report = await importFile();
        expect(report).toMatchObject({ dryRun: false, imported: 2, alreadyImported: 0, skipped: 4 });
        expect(report.devices.map(({ type, status, reason, message }) => ({ type, status, reason, message }))).toEqual([
          { type: 'totp', status: 'imported' },
          { type: 'unknown', status: 'skipped', reason: 'invalid', message: 'uri: not an otpauth:// URI' },
          { type: 'hotp', status: 'imported' },
          { type: 'totp', status: 'skipped', reason: 'invalid', message: 'key: key must hold a key of 16 to 64 bytes' },
          { type: 'totp', status: 'skipped', reason: 'unknown-user', message: 'no otpkit user is named "carol"' },
          { type: 'unknown', status: 'skipped', reason: 'invalid', message: 'a line must be "<user>,<otpauth URI>"' },
        ]);
        expect(JSON.stringify(report)).not.toContain(encodeBase32(totpKey));
      });

      it('the imported devices accept the codes the old app showed', async () => {
        const [totpDevice, hotpDevice] = report.devices.filter((line) => line.status === 'imported').map((line) => line.persistentId!);
        expect(await app.otp.deviceFromPersistentId(totpDevice)).toMatchObject({ name: 'Acme', confirmed: true, step: 30, digits: 6 });
        clock.set(NOW + HOUR);
        expect(await app.otp.verify(1, totpDevice, oathtool(totpKey.toString('hex'), { digits: 6, step: 30, t0: 0, atMs: NOW + HOUR }))).toMatchObject({ ok: true });
        expect(await app.otp.deviceFromPersistentId(hotpDevice)).toMatchObject({ digits: 8, counter: 3 });
        // The counter in the URI is the next one: the code before it was spent.
        expect(await app.otp.verify(2, hotpDevice, oathtool(hotpKey.toString('hex'), { digits: 8, counter: 2 }))).toMatchObject({ ok: false, reason: 'invalid_token' });
        clock.set(NOW + 2 * HOUR);
        expect(await app.otp.verify(2, hotpDevice, oathtool(hotpKey.toString('hex'), { digits: 8, counter: 3 }))).toMatchObject({ ok: true });
      });

      it('a second run changes nothing', async () => {
        const before = await app.target.knex('otp_device_import').select('*').orderBy('source');
        expect(await importFile()).toMatchObject({ imported: 0, alreadyImported: 2, skipped: 4 });
        expect(await app.target.knex('otp_device_import').select('*').orderBy('source')).toEqual(before);
      });
    });
  }
});

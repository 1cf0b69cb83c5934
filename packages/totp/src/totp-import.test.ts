import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createOtp, type Otp } from '@otpkit/core';
import { FakeClock, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDeviceExample } from './examples/import-device.js';
import { totp } from './totp.js';
import { haveTools } from '../../../test/support/external-tools.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const key = randomBytes(20).toString('hex');
/** oathtool's code of the 30 s step `step`. */
const codeAt = (step: number) => execFileSync('oathtool', ['--totp', `--now=@${step * 30}`, key], { encoding: 'utf8' }).trim();
const stepAt = (ms: number) => Math.floor(ms / 30_000);

for (const backend of testBackends()) {
  describe.runIf(haveTools('oathtool'))(`importing TOTP devices on ${backend.name}`, () => {
    let database: TestDatabase;
    let otp: Otp;
    const clock = new FakeClock(NOW);
    const previousKey = process.env.OTP_KEY_1;

    beforeAll(async () => {
      database = await backend.createDatabase();
      process.env.OTP_KEY_1 = 'a'.repeat(64);
      otp = createOtp({ knex: database.knex, devices: [totp()], secretKeys: { '1': process.env.OTP_KEY_1 }, clock: clock.now, logger: { warn() {} } });
    });
    afterAll(async () => {
      process.env.OTP_KEY_1 = previousKey;
      await database?.destroy();
    });

    it('the docs example imports a device that refuses its last used step and accepts the next, drift included; a second import is skipped', async () => {
      const legacy = { id: 42, userId: 'alice', keyHex: key, lastStep: stepAt(NOW) + 1, drift: 1 };
      const [result] = await importDeviceExample(database.knex, legacy, clock.now);
      expect(result).toEqual({ source: 'legacy:totp:42', status: 'imported', persistentId: 'totp/1' });
      expect(await otp.verify('alice', 'totp/1', codeAt(stepAt(NOW) + 1))).toMatchObject({ ok: false, reason: 'invalid_token' });
      clock.set(NOW + 60_000);
      expect(await otp.verify('alice', 'totp/1', codeAt(stepAt(NOW + 60_000) + 1))).toMatchObject({ ok: true });
      expect(await importDeviceExample(database.knex, legacy, clock.now)).toEqual([{ source: 'legacy:totp:42', status: 'already-imported', persistentId: 'totp/1' }]);
    });

    it('reports state the plugin refuses, types no plugin restores and a source listed twice, and imports the rest', async () => {
      const device = { type: 'totp', confirmed: true, state: { key } };
      const results = await otp.importDevices('bob', [
        { ...device, source: 'a', state: {} },
        { ...device, source: 'b', state: { key, drift: 40_000 } },
        { ...device, source: 'c', state: { key, lastT: -2 } },
        { ...device, source: 'd', type: 'hotp' },
        { ...device, source: 'e', throttlingFailureCount: -1 },
        { ...device, source: 'f' },
        { ...device, source: 'f' },
        { ...device, source: 'x'.repeat(192) },
      ]);
      expect(results.map((result) => [result.source.slice(0, 3), result.status, 'field' in result ? result.field : undefined])).toEqual([
        ['a', 'invalid', 'key'],
        ['b', 'invalid', 'drift'],
        ['c', 'invalid', 'lastT'],
        ['d', 'unsupported', undefined],
        ['e', 'invalid', 'throttlingFailureCount'],
        ['f', 'imported', undefined],
        ['f', 'invalid', 'source'],
        ['xxx', 'invalid', 'source'],
      ]);
      expect((await otp.devicesForUser('bob')).map((d) => d.persistentId)).toEqual([results[5]!.status === 'imported' ? results[5]!.persistentId : null]);
    });

    it('two imports of the same devices at once create them once: the other is whole or absent', async () => {
      const devices = [
        { type: 'totp', source: 'race:1', confirmed: true, state: { key } },
        { type: 'totp', source: 'race:2', confirmed: true, state: { key } },
      ];
      const outcomes = await Promise.allSettled([otp.importDevices('dave', devices), otp.importDevices('dave', devices)]);
      const statuses = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.map((result) => result.status).join() : (outcome.reason as Error).constructor.name));
      expect(statuses).toContain('imported,imported');
      expect(statuses.filter((status) => status !== 'imported,imported')).toEqual([expect.stringMatching(/^(already-imported,already-imported|StorageError)$/)]);
      expect(await otp.devicesForUser('dave')).toHaveLength(2);
      expect(await database.knex('otp_device_import').where('user_id', 'dave').count({ n: '*' })).toEqual([{ n: expect.toSatisfy((n) => Number(n) === 2) }]);
    });

    it("an import mapped to another user (a source imported for erin, imported again for frank) is invalid for frank, never reported as erin's device", async () => {
      const device = { type: 'totp', source: 'remapped:7', confirmed: true, state: { key } };
      const [first] = await otp.importDevices('erin', [device]);
      expect(first).toMatchObject({ status: 'imported' });
      for (const dryRun of [true, false]) {
        expect(await otp.importDevices('frank', [device], { dryRun })).toEqual([
          { source: 'remapped:7', status: 'invalid', field: 'source', message: 'this source was imported before for another user' },
        ]);
      }
      expect(await otp.devicesForUser('frank')).toEqual([]);
      expect(await otp.importDevices('erin', [device])).toEqual([{ source: 'remapped:7', status: 'already-imported', persistentId: (first as { persistentId: string }).persistentId }]);
    });

    it("a hostile source row's failure count beyond the 32-bit column is invalid, not a StorageError that stops the user's import", async () => {
      const device = { type: 'totp', confirmed: true, state: { key } };
      expect(await otp.importDevices('grace', [
        { ...device, source: 'huge-count', throttlingFailureCount: 2 ** 31 },
        { ...device, source: 'largest-count', throttlingFailureCount: 2 ** 31 - 1 },
      ])).toEqual([
        { source: 'huge-count', status: 'invalid', field: 'throttlingFailureCount', message: 'throttlingFailureCount must be at most 2147483647' },
        { source: 'largest-count', status: 'imported', persistentId: expect.any(String) },
      ]);
      expect((await otp.devicesForUser('grace')).map((d) => d.throttlingFailureCount)).toEqual([2 ** 31 - 1]);
    });

    it('a dry run writes nothing, not even the record of the source', async () => {
      const before = await database.knex('otp_device_import').count({ n: '*' });
      expect(await otp.importDevices('carol', [{ type: 'totp', source: 'dry', confirmed: true, state: { key } }], { dryRun: true })).toEqual([
        { source: 'dry', status: 'imported', persistentId: null },
      ]);
      expect(await database.knex('otp_device_import').count({ n: '*' })).toEqual(before);
      expect(await otp.devicesForUser('carol')).toEqual([]);
    });
  });
}

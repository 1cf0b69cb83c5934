import { createOtp } from '@otpkit/core';
import { testBackends } from '@otpkit/core/testing';
import { describe, expect, it } from 'vitest';
// #region contract
import { deviceContractSuite } from '@otpkit/core/testing';
import { codeList, type CodeListDevice } from './code-list-device.js';

deviceContractSuite<CodeListDevice>({
  plugin: (throttleFactor) => codeList({ throttle: { factor: throttleFactor } }),
  validToken: async (device, otp) => {
    const current = (await otp.deviceFromPersistentId(device.persistentId)) as CodeListDevice;
    return current.code(current.used + 1);
  },
  otpOptions: { secretKeys: { '1': 'd'.repeat(64) } },
});
// #endregion contract

describe('the code-list example plugin', () => {
  it('runs out after its length, and refuses a bad length at start-up', async () => {
    const database = await testBackends()[0]!.createDatabase();
    try {
      const otp = createOtp({ knex: database.knex, devices: [codeList({ length: 2 })], logger: { warn() {} } });
      await otp.migrate();
      const device = await otp.createDevice('codelist', 'u1', { confirmed: true });
      expect(await otp.verifyToken('u1', device.persistentId, device.code(1))).not.toBeNull();
      expect(await otp.verifyToken('u1', device.persistentId, device.code(2))).not.toBeNull();
      expect(await otp.verifyToken('u1', device.persistentId, device.code(3))).toBeNull();
      expect(() => codeList({ length: 0 })).toThrow('codeList: length must be an integer from 1 to 100');
    } finally {
      await database.destroy();
    }
  });

  it('enrols with the printed list shown once; its first code confirms the device and the next one signs in', async () => {
    const database = await testBackends()[0]!.createDatabase();
    try {
      const otp = createOtp({ knex: database.knex, devices: [codeList({ length: 3 })], secretKeys: { '1': 'd'.repeat(64) } });
      await otp.migrate();
      const enrolled = await otp.enroll('codelist', 'u1');
      if (!enrolled.ok) throw new Error(enrolled.reason);
      expect(enrolled.device.confirmed).toBe(false);
      expect(enrolled.display.codes).toEqual([1, 2, 3].map((line) => enrolled.device.code(line)));
      expect(await otp.confirmDevice('u1', enrolled.device.persistentId, enrolled.display.codes[0])).toMatchObject({ ok: true });
      expect(await otp.matchToken('u1', enrolled.display.codes[1])).toMatchObject({ persistentId: enrolled.device.persistentId, used: 2 });
      const row = await database.knex('otp_codelist_device').first();
      expect(row.secret).toMatch(/^otpkit\$2\$1\$/); // sealed at rest
    } finally {
      await database.destroy();
    }
  });
});

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
});

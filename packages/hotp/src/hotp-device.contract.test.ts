import { hotpToken } from '@otpkit/core';
import { deviceContractSuite } from '@otpkit/core/testing';
import { hotp, type HOTPDevice } from '@otpkit/hotp';

deviceContractSuite<HOTPDevice>({
  plugin: (factor) => hotp({ throttle: { factor } }),
  validToken: async (device, otp) => {
    const current = (await otp.deviceFromPersistentId(device.persistentId)) as HOTPDevice;
    return hotpToken(current.keyBytes, current.counter, current);
  },
  otpOptions: { secretKeys: { '1': 'd'.repeat(64) } },
});

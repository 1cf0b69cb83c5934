import { decodeBase32, hotpToken } from '@otpkit/core';
import { deviceContractSuite } from '@otpkit/core/testing';
import { hotp, type HOTPDevice } from '@otpkit/hotp';

deviceContractSuite<HOTPDevice>({
  plugin: (factor) => hotp({ throttle: { factor } }),
  validToken: async (device, otp) => {
    const current = (await otp.deviceFromPersistentId(device.persistentId)) as HOTPDevice;
    return hotpToken(decodeBase32(current.revealKey()), current.counter, current);
  },
  otpOptions: { secretKeys: { '1': 'd'.repeat(64) } },
});

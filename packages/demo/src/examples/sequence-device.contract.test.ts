// #region contract
import { deviceContractSuite } from '@otpkit/core/testing';
import { sequence, SequenceDevice } from './sequence-device.js';

deviceContractSuite<SequenceDevice>({
  plugin: (throttleFactor) => sequence({ throttle: { factor: throttleFactor } }),
  validToken: async (device, otp) => ((await otp.deviceFromPersistentId(device.persistentId)) as SequenceDevice).currentToken(),
  otpOptions: { secretKeys: { '1': 'd'.repeat(64) } },
});
// #endregion contract

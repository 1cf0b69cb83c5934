import { deviceContractSuite } from './testing/index.js';
import { sequence, SequenceDevice } from './test-support/sequence-device.js';

deviceContractSuite<SequenceDevice>({
  plugin: sequence,
  validToken: async (device, otp) => ((await otp.deviceFromPersistentId(device.persistentId)) as SequenceDevice).currentToken(),
});

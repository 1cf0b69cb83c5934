import { randomBytes, randomInt } from 'node:crypto';
import { deviceContractSuite } from '@otpkit/core/testing';
import { staticTokens, type StaticDevice } from '@otpkit/static';

/**
 * A fresh code ending in a digit: the contract's wrong tokens change the last character, and a
 * letter changed twice ('b' → 'A' → 'B') would be the same code again once case is ignored.
 */
const validToken = (device: StaticDevice) => device.addToken(`${randomBytes(5).toString('hex')}${randomInt(10)}`);

deviceContractSuite<StaticDevice>({
  plugin: (factor) => staticTokens({ throttle: { factor } }),
  validToken,
});

deviceContractSuite<StaticDevice>({
  plugin: (factor) => staticTokens({ throttle: { factor } }),
  validToken,
  otpOptions: { secretKeys: { '1': 'a'.repeat(64) } },
});

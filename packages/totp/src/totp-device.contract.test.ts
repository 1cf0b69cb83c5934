import { decodeBase32, hotpToken, totpTimeStep } from '@otpkit/core';
import { deviceContractSuite } from '@otpkit/core/testing';
import { totp, type TOTPDevice } from '@otpkit/totp';

deviceContractSuite<TOTPDevice>({
  plugin: (factor) => totp({ throttle: { factor } }),
  validToken: async (device, _otp, clock) => hotpToken(decodeBase32(device.revealKey()), totpTimeStep(clock.now(), device.step, device.t0), device),
  otpOptions: { secretKeys: { '1': 'a'.repeat(64) } },
});

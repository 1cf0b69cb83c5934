import { randomBytes, randomInt } from 'node:crypto';
import type { Otp } from '@otpkit/core';
import { deviceContractSuite } from '@otpkit/core/testing';
import { staticTokens, type StaticDevice } from '@otpkit/static';

/**
 * A fresh code ending in a digit, stored on exactly this device (the suite gives one user several
 * static devices, which enrolment never does): its keyed digest, bound to the device and its
 * owner, written as core writes it. The contract's wrong tokens change the last character, and a
 * letter changed twice ('b' → 'A' → 'B') would be the same code again once case is ignored.
 */
async function validToken(device: StaticDevice, otp: Otp): Promise<string> {
  const code = `${randomBytes(5).toString('hex')}${randomInt(10)}`;
  const binding = { table: 'otp_static_token', column: 'token_hash', id: device.id, userId: device.userId };
  await otp.knex('otp_static_token').insert({ device_id: device.id, token_hash: otp.secretBox.digest(code, binding) });
  return code;
}

deviceContractSuite<StaticDevice>({
  plugin: (factor) => staticTokens({ throttle: { factor } }),
  validToken,
});

deviceContractSuite<StaticDevice>({
  plugin: (factor) => staticTokens({ throttle: { factor } }),
  validToken,
  otpOptions: { secretKeys: { '1': 'a'.repeat(64) } },
});

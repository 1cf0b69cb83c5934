import { createOtp } from '@otpkit/core';
import { staticTokens, type StaticDevice } from '@otpkit/static';
import type { Knex } from 'knex';

/** Enrols backup codes for a user and signs in with one of them. */
export async function backupCodesExample(knex: Knex, userId: string) {
  const otp = createOtp({
    knex,
    devices: [staticTokens({ count: 10, length: 12 })],
    secretKeys: { '1': process.env.OTP_KEY_1 }, // 32 bytes, base64 or hex
  });
  await otp.migrate();

  // Create the device confirmed and show its codes once: only their digests are stored.
  const device = await otp.createDevice('static', userId, { confirmed: true });
  const codes = await device.regenerateTokens(); // ['k7m2-px9q-re4t', ...]

  // At login: case, spaces and dashes do not matter; each code works once.
  const typed = codes[0]!.toUpperCase().replace('-', ' ');
  const verified = await otp.verifyToken(userId, device.persistentId, typed); // the device
  const again = await otp.verifyToken(userId, device.persistentId, typed); // null: spent

  return { codes, verified, again, remaining: await device.remainingTokens() }; // remaining: 9
}

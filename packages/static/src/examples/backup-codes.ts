import { createOtp } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';
import type { Knex } from 'knex';

/** Enrols backup codes for a user and signs in with one of them. */
export async function backupCodesExample(knex: Knex, userId: string) {
  const otp = createOtp({
    knex,
    devices: [staticTokens({ count: 10, length: 12 })],
    secretKeys: { '1': process.env.OTP_KEY_1 }, // 32 bytes, base64 or hex
  });
  await otp.migrate();

  // Enrolment creates the device, confirmed, with 10 codes to show once: only their digests are
  // stored. Enrolling again replaces the codes.
  const enrolled = await otp.enroll('static', userId);
  if (!enrolled.ok) throw new Error(enrolled.reason); // never: backup codes send nothing
  const { device, display } = enrolled;
  const codes = display.codes; // ['k7m2-px9q-re4t', ...]

  // At login: case, spaces and dashes do not matter; each code works once.
  const typed = codes[0]!.toUpperCase().replace('-', ' ');
  const verified = await otp.verifyToken(userId, device.persistentId, typed); // the device
  const again = await otp.verifyToken(userId, device.persistentId, typed); // null: spent

  return { codes, verified, again, remaining: await device.remainingTokens() }; // remaining: 9
}

import type { Device, Otp, UserId } from '@otpkit/core';

/**
 * Enrols the user's backup codes through `otp.enroll('static', …)`: the one static device (made
 * confirmed when the user has none) and `count` new codes, in clear, replacing earlier ones.
 */
export async function enrolBackupCodes(otp: Otp, userId: UserId, count?: number): Promise<{ device: Device; codes: string[] }> {
  const enrolled = await otp.enroll('static', userId, count === undefined ? {} : { count });
  if (!enrolled.ok) throw new Error(`no backup codes: ${enrolled.reason}`);
  return { device: enrolled.device, codes: [...(enrolled.display as { codes: readonly string[] }).codes] };
}

import type { Device, Otp, UserId } from '@otpkit/core';

/** Enrols backup codes for the user (`otp.enroll('static', …)`): the device and its codes in clear. */
export async function enrolBackupCodes(otp: Otp, userId: UserId, count?: number): Promise<{ device: Device; codes: string[] }> {
  const enrolled = await otp.enroll('static', userId, count === undefined ? {} : { count });
  if (!enrolled.ok) throw new Error(`backup codes were refused: ${enrolled.reason}`);
  return { device: enrolled.device, codes: [...(enrolled.display as { readonly codes: readonly string[] }).codes] };
}

import type { EventMeta, Otp } from '@otpkit/core';

/** Adds one random backup code to the user's backup-code device (made when there is none), as `addStaticToken` does, and returns it in clear. */
export async function issueBackupCode(otp: Otp, userId: string, meta: EventMeta): Promise<string> {
  const enrolled = await otp.enroll('static', userId, { add: true }, meta);
  if (!enrolled.ok) throw new Error(`unreachable: backup codes send nothing (${enrolled.reason})`);
  return (enrolled.display as { readonly codes: readonly string[] }).codes[0]!;
}

import type { EventMeta, Otp, UserId } from '@otpkit/core';

/**
 * Gives a user one backup code, like django-otp's `addstatictoken`: adds `token` (or a random code)
 * to the user's backup-code device, which is created ("Backup Code", confirmed) when there is none.
 * Reported as one `backupCodeAdded` (after `deviceAdded` when the device was created), with `meta`
 * (who asked: an administrator as `actor`). Without a chosen `token`, `otp.issueBootstrapCode` does
 * the same for layers that depend on core only.
 * @returns the code in clear.
 * @throws ConfigurationError when the static plugin is not configured; ValidationError for a malformed or duplicate `token`.
 */
export async function addStaticToken(otp: Otp, userId: UserId, token?: string, meta?: EventMeta): Promise<string> {
  const enrolled = await otp.enroll('static', userId, { add: token ?? true }, meta);
  if (!enrolled.ok) throw new Error(`unreachable: backup codes send nothing (${enrolled.reason})`);
  return (enrolled.display as { codes: readonly string[] }).codes[0]!;
}

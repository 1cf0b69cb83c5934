import type { Device } from '@otpkit/core';

/** The device type of backup codes (`@otpkit/static`'s `staticTokens()`). */
export const BACKUP_CODES_TYPE = 'static';

/** At this many unused backup codes or fewer, the user is warned to make new ones (as `@otpkit/email`'s notices do). */
export const LOW_BACKUP_CODES = 2;

/** How many unused codes a backup-codes device has left (`Device.remainingTokens()`), or `null` for any other device. */
export async function backupCodesRemaining(device: Device): Promise<number | null> {
  return device.deviceType === BACKUP_CODES_TYPE ? device.remainingTokens() : null;
}

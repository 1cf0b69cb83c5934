import type { Device } from '@otpkit/core';

/** The device type of backup codes (`@otpkit/static`'s `staticTokens()`). */
export const BACKUP_CODES_TYPE = 'static';

/** How many unused codes a backup-codes device has left (`Device.remainingTokens()`), or `null` for any other device. */
export async function backupCodesRemaining(device: Device): Promise<number | null> {
  return device.deviceType === BACKUP_CODES_TYPE ? device.remainingTokens() : null;
}

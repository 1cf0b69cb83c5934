import { storedUserId, type EventMeta, type Otp, type UserId } from '@otpkit/core';
import type { StaticDevice } from './static-device.js';
import { BACKUP_CODE_DEVICE_NAME } from './static-tokens.js';

/**
 * Gives a user one backup code, like django-otp's `addstatictoken`: uses the user's first static
 * device, or creates a confirmed "Backup Code" device when there is none, and adds `token` (or a
 * random code) to it. `meta` (who asked) goes into the `deviceAdded` and `backupCodeAdded` events.
 * @returns the code in clear.
 * @throws ConfigurationError when the static plugin is not configured; ValidationError for a malformed or duplicate `token`.
 */
export async function addStaticToken(otp: Otp, userId: UserId, token?: string, meta?: EventMeta): Promise<string> {
  const model = otp.model<StaticDevice>('static');
  const existing = await otp.devicesForUser(userId).then((devices) => devices.find((device) => device instanceof model));
  const device =
    (existing as StaticDevice | undefined) ??
    (await otp.createDevice<StaticDevice>('static', storedUserId(userId), { name: BACKUP_CODE_DEVICE_NAME, confirmed: true }, meta));
  return device.addToken(token, meta);
}

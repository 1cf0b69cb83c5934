import type { EventMeta, ImportedDevice, ImportResult, Otp } from '@otpkit/core';
import type { SourceEntry } from './source-entry.js';
import { oneSourceUserEach, type MappedUser, type UserMapping } from './user-mapping.js';

/** Why a device was not imported. */
export type SkipReason = 'unknown-user' | 'unsupported' | 'invalid';

/** What became of one source device: the report's line. */
export interface ImportLine {
  /** The device's id in its source (`django-otp:totp:42`). */
  readonly source: string;
  /** The otpkit type it becomes. */
  readonly type: string;
  /** Its user in the source. */
  readonly sourceUser: string;
  /** Its otpkit user, or `null` when none was found. */
  readonly userId: string | null;
  readonly status: 'imported' | 'already-imported' | 'skipped';
  /** The otpkit device (`null` for a dry run's imports and for skipped devices). */
  readonly persistentId: string | null;
  /** Why it was skipped. */
  readonly reason?: SkipReason;
  /** What was wrong, for skipped devices; never a secret. */
  readonly message?: string;
}

/** A core result as the report's line. */
function lineOf(device: ImportedDevice, sourceUser: string, userId: string, result: ImportResult): ImportLine {
  const base = { source: result.source, type: device.type, sourceUser, userId };
  switch (result.status) {
    case 'imported':
    case 'already-imported':
      return { ...base, status: result.status, persistentId: result.persistentId };
    case 'unsupported':
      return { ...base, status: 'skipped', persistentId: null, reason: 'unsupported', message: result.message };
    case 'invalid':
      return { ...base, status: 'skipped', persistentId: null, reason: 'invalid', message: result.field === undefined ? result.message : `${result.field}: ${result.message}` };
  }
}

/**
 * Imports source devices user by user: each source user is mapped to an otpkit user, and that
 * user's devices go through `otp.importDevices` together (one transaction per user). Entries the
 * source already refused, and the devices of users who cannot be mapped (or who map to the same
 * otpkit user as another source user), are reported skipped.
 * @returns one line per entry, in source order within each user.
 */
export async function importEntries(otp: Otp, entries: readonly SourceEntry[], mapUser: UserMapping, dryRun: boolean, meta: EventMeta): Promise<ImportLine[]> {
  const byUser = new Map<string, SourceEntry[]>();
  for (const entry of entries) byUser.set(entry.sourceUser, [...(byUser.get(entry.sourceUser) ?? []), entry]);
  const mappedUsers = new Map<string, MappedUser>();
  for (const sourceUser of byUser.keys()) mappedUsers.set(sourceUser, await mapUser(sourceUser));
  const users = oneSourceUserEach(mappedUsers);
  const lines: ImportLine[] = [];
  for (const [sourceUser, ofUser] of byUser) {
    const mapped = users.get(sourceUser)!;
    const userId = 'userId' in mapped ? mapped.userId : null;
    const devices = ofUser.flatMap((entry) => ('device' in entry ? [entry.device] : []));
    const results = userId === null || devices.length === 0 ? [] : await otp.importDevices(userId, devices, { dryRun }, meta);
    for (const entry of ofUser) {
      if (!('device' in entry)) {
        lines.push({ source: entry.source, type: entry.type, sourceUser, userId, status: 'skipped', persistentId: null, reason: entry.skip, message: entry.message });
      } else if (userId === null) {
        const message = 'unknown' in mapped ? mapped.unknown : '';
        lines.push({ source: entry.device.source, type: entry.device.type, sourceUser, userId, status: 'skipped', persistentId: null, reason: 'unknown-user', message });
      } else {
        lines.push(lineOf(entry.device, sourceUser, userId, results[devices.indexOf(entry.device)]!));
      }
    }
  }
  return lines;
}

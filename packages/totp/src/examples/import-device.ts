import { createOtp, type Clock, type ImportResult } from '@otpkit/core';
import { totp } from '@otpkit/totp';
import type { Knex } from 'knex';

/** What another system kept about one authenticator app (as django-otp's otp_totp_totpdevice does). */
export interface LegacyTotpDevice {
  readonly id: number;
  readonly userId: string;
  readonly keyHex: string;
  /** The last time step a code was accepted from (django-otp's last_t). */
  readonly lastStep: number;
  /** How many steps the app's clock runs ahead (django-otp's drift). */
  readonly drift: number;
}

/** Imports one authenticator app with its state; importing it again changes nothing. */
export async function importDeviceExample(knex: Knex, legacy: LegacyTotpDevice, clock: Clock = Date.now): Promise<ImportResult[]> {
  const otp = createOtp({ knex, devices: [totp()], secretKeys: { '1': process.env.OTP_KEY_1 }, clock });
  await otp.migrate();
  // #region import
  // One call per user: the user's devices are imported together, in one transaction.
  const results = await otp.importDevices(legacy.userId, [
    {
      type: 'totp',
      source: `legacy:totp:${legacy.id}`, // stable: a source imported before is skipped
      name: 'Phone',
      confirmed: true,
      throttlingFailureCount: 0,
      state: { key: legacy.keyHex, step: 30, t0: 0, digits: 6, tolerance: 1, drift: legacy.drift, lastT: legacy.lastStep },
    },
  ]);
  // [{ source: 'legacy:totp:42', status: 'imported', persistentId: 'totp/1' }]
  // #endregion
  return results;
}

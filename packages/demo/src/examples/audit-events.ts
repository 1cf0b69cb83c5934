import type { Knex } from 'knex';
import { createOtp, type Otp, type OtpEvent, type UserId } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';

/** Mails the user about a change to their sign-in methods (your mailer). */
type Notify = (event: OtpEvent) => Promise<void>;

export async function createAuditedOtp(knex: Knex, notify: Notify, log: (line: string) => void) {
  const otp = createOtp({
    knex,
    devices: [totp({ issuer: 'Acme' }), staticTokens()],
    secretKeys: { '1': process.env.OTP_KEY_1 },
    // Called by core after each change commits, whoever made it: the JSON API, the login views,
    // the CLI or your own code. Hooks are awaited: queue slow work rather than doing it here.
    events: {
      deviceConfirmed: notify,
      backupCodesRegenerated: notify,
      deviceRemoved: (event) => (event.confirmed ? notify(event) : undefined),
      throttled: (event) => log(`user ${event.userId} throttled until ${new Date(event.lockedUntil).toISOString()} (${event.ip ?? 'no address'}, via ${event.via})`),
    },
    // Every event is also a row of otp_audit_event, kept 90 days (`otpkit sweep` deletes older ones).
    audit: { retentionDays: 90 },
  });
  await otp.migrate();
  return otp;
}

/** A user's last events for an account-activity page: never a token, a secret or a code. */
export async function recentActivity(otp: Otp, userId: UserId): Promise<string[]> {
  const events = await otp.auditEvents(userId, { limit: 20 });
  return events.map((event) => `${new Date(event.at).toISOString()} ${event.type} ${event.deviceId ?? '-'} (${event.via})`);
}

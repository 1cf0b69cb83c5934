import { createOtp, type UserId } from '@otpkit/core';
import { accountNotices, email } from '@otpkit/email';
import { totp } from '@otpkit/totp';
import type { Knex } from 'knex';

/** Mails users a notice when their sign-in changes, in their language, at most 10 a day each. */
export async function accountNoticesExample(knex: Knex, smtpUrl: string, userId: UserId) {
  const otp = createOtp({
    knex,
    devices: [
      totp({ issuer: 'Acme' }),
      // Notices go through this plugin's transport and sender; its context fills {appName}.
      email({ transport: smtpUrl, from: 'Acme <security@acme.example>', context: { appName: 'Acme' } }),
    ],
    secretKeys: { '1': process.env.OTP_KEY_1 },
    // Every notice's words are messages of the catalog (notices.*), rewordable per locale.
    messages: { locales: { en: { 'notices.deviceAdded.subject': '{appName}: a sign-in method was added' } } },
  });
  await otp.migrate();

  const notices = accountNotices(otp, {
    // The account's address from the users table unless `to` says otherwise.
    locale: async (id) => (await knex('users').where({ id }).first())?.locale ?? null,
    timeZone: 'Europe/Paris',
    perDay: 10,
  });
  await notices.migrate(); // the daily count's table, otp_account_notice

  // Every change now mails the user, whichever page, API or command made it.
  const device = await otp.createDevice('totp', userId, { confirmed: true });
  // → "Acme: a sign-in method was added": "… to your account on May 1, 2026 at 11:05 AM GMT+2: authenticator app."
  await otp.removeDevice(userId, device.persistentId, { via: 'admin', actor: 'admin:ann' });
  // → "An administrator changed your account": "… a sign-in method was removed (authenticator app)."

  notices.stop(); // this otp instance mails no more notices
}

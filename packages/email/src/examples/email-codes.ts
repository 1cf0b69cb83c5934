import { createOtp } from '@otpkit/core';
import { email, type EmailDevice } from '@otpkit/email';
import type { Knex } from 'knex';

/** Enrols an email device, sends a token and verifies what the user typed from their inbox. */
export async function emailCodesExample(knex: Knex, smtpUrl: string, userId: string, readInbox: () => Promise<string>) {
  const otp = createOtp({
    knex,
    devices: [
      email({
        transport: smtpUrl, // e.g. 'smtps://user:pass@smtp.example.com'
        from: 'Acme <security@acme.example>',
        subject: '{appName}: your verification code',
        context: { appName: 'Acme' },
      }),
    ],
    secretKeys: { '1': process.env.OTP_KEY_1 }, // pending tokens are encrypted at rest
  });
  await otp.migrate();

  // Without `email`, tokens go to the user's address from the users table.
  const device = await otp.createDevice('email', userId, { email: 'ann@acme.example' });

  // Enrolment: send a token, then confirm the device with it.
  const sent = await otp.generateChallenge(userId, device.persistentId);
  // sent: { ok: true, message: 'sent by email', validUntil, device }
  // or { ok: false, reason: 'cooldown', nextAt } within 60 s of the last send
  const confirmed = await device.confirm(await readInbox());

  return { sent, confirmed };
}

import { createOtp } from '@otpkit/core';
import { email } from '@otpkit/email';
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

  // Enrolment sends the first token; the user confirms the device with it. Without `email`,
  // tokens go to the user's address from the users table.
  const enrolled = await otp.enroll('email', userId, { email: 'ann@acme.example' });
  // enrolled: { ok: true, device, display: { message: 'sent by email', validUntil }, existing: false }
  // or { ok: false, reason: 'daily_limit', retryAt } when the user or the address had its sends today
  if (!enrolled.ok) throw new Error(enrolled.reason);
  const { device } = enrolled;
  const confirmed = await otp.confirmDevice(userId, device.persistentId, await readInbox()); // { ok: true, device }

  // At login: send a token, then verify what the user typed.
  const sent = await otp.generateChallenge(userId, device.persistentId);
  // sent: { ok: true, message: 'sent by email', validUntil, device }
  // or { ok: false, reason: 'cooldown', nextAt } within 60 s of the last send
  const verified = await otp.verifyToken(userId, device.persistentId, await readInbox()); // the device

  return { sent, confirmed, verified };
}

import { createOtp } from '@otpkit/core';
import { sms, TwilioProvider } from '@otpkit/sms';
import type { Knex } from 'knex';

/** Enrols a phone, texts it a token and signs in with what the user typed. */
export async function smsCodesExample(knex: Knex, twilioBaseUrl: string, userId: string, readPhone: () => Promise<string>) {
  const otp = createOtp({
    knex,
    devices: [
      sms({
        provider: new TwilioProvider({
          accountSid: process.env.TWILIO_ACCOUNT_SID!,
          authToken: process.env.TWILIO_AUTH_TOKEN!,
          from: '+15005550006',
          baseUrl: twilioBaseUrl, // default 'https://api.twilio.com'
        }),
        text: '{appName} code: {token}',
        context: { appName: 'Acme' },
      }),
    ],
    secretKeys: { '1': process.env.OTP_KEY_1 }, // pending tokens are encrypted at rest
  });
  await otp.migrate();

  // Separators are tolerated; the number is stored in E.164 form.
  const device = await otp.createDevice('sms', userId, { number: '+1 (415) 555-0199', confirmed: true });

  const sent = await otp.generateChallenge(userId, device.persistentId); // { ok: true, message: 'sent by SMS', validUntil, device }
  const verified = await otp.verifyToken(userId, device.persistentId, await readPhone());

  return { number: device.number, sent, verified };
}

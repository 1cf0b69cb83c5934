import { randomUUID } from 'node:crypto';
import { createOtp, type Clock } from '@otpkit/core';
import { email } from '@otpkit/email';
import { createSignIn } from '@otpkit/signin';
import { sms, TwilioProvider } from '@otpkit/sms';
import type { Knex } from 'knex';

/** What the people in the example receive: the newest code texted or mailed to an address, the token of the newest link mailed to it. */
export interface Inbox {
  code(address: string): Promise<string>;
  linkToken(address: string): Promise<string>;
}

/**
 * Sets up sign-in by SMS, email and magic link; Ann adds a login phone and signs in with it, then
 * with a link opened in another browser; a newcomer registers with their email address.
 * `clock` drives otp's time; the timing envelope is left to real timers.
 */
export async function passwordlessExample(knex: Knex, servers: { smtpUrl: string; twilioBaseUrl: string }, inbox: Inbox, clock: Clock) {
  // #region setup
  const otp = createOtp({
    knex,
    clock,
    devices: [
      sms({
        provider: new TwilioProvider({
          accountSid: process.env.TWILIO_ACCOUNT_SID!,
          authToken: process.env.TWILIO_AUTH_TOKEN!,
          from: '+15005550006',
          baseUrl: servers.twilioBaseUrl, // default 'https://api.twilio.com'
        }),
      }),
      email({ transport: servers.smtpUrl, from: 'Acme <signin@acme.example>' }),
    ],
    secretKeys: { '1': process.env.OTP_KEY_1 }, // codes, links and addresses are stored as keyed digests
  });
  const signIn = createSignIn(otp, {
    linkUrl: (token) => `https://acme.example/signin/link?token=${token}`, // magic links on
    // Registration on first sign-in (off without it): the code came back from this address.
    register: async (address) => {
      const id = randomUUID();
      await knex('users').insert({ id, username: 'email' in address ? address.email : address.phone });
      return id;
    },
  });
  await otp.migrate();
  await signIn.migrate(); // otp_signin_link and otp_signin_pending
  // #endregion

  // #region login-phone
  // A signed-in user adds a phone to sign in with (purpose 'login': never a second factor).
  const enrolled = await otp.enroll('sms', 'ann', { number: '+1 415 555 0100', purpose: 'login' });
  if (!enrolled.ok) throw new Error(enrolled.reason);
  await otp.confirmDevice('ann', enrolled.device.persistentId, await inbox.code('+14155550100'));
  // #endregion

  // #region code
  // POST /signin/start { phone }: the same answer, after the same time, whether or not the number is known.
  const started = await signIn.start({ phone: '+1 (415) 555-0100' }, { ip: '203.0.113.7' });
  // { ok: true, validUntil } or { ok: false, reason: 'rate_limited', retryAt }
  await signIn.idle(); // the code is sent after the answer; here we wait for it
  // POST /signin/finish { phone, code }
  const signedIn = await signIn.finish({ phone: '+14155550100', code: await inbox.code('+14155550100') }, { ip: '203.0.113.7' });
  // { ok: true, userId: 'ann', device, method: 'sms', registered: false }: start the session.
  // { ok: false, reason: 'invalid_token' | 'throttled' | 'rate_limited', retryAt? }
  // #endregion

  // #region link
  // A random value in a cookie of its own identifies the browser that asks for the link.
  await otp.createDevice('email', 'ann', { email: 'ann@acme.example', confirmed: true, purpose: 'both' });
  await signIn.startLink({ email: 'ann@acme.example' }, { browser: 'laptop-cookie-value', ip: '203.0.113.7' });
  await signIn.idle();
  const token = await inbox.linkToken('ann@acme.example');
  // Opened on the phone instead: ask "Sign in on this device?" before spending the link.
  const asked = await signIn.finishLink(token, { browser: 'phone-cookie-value' }); // { ok: false, reason: 'confirm_browser' }
  const confirmed = await signIn.finishLink(token, { browser: 'phone-cookie-value', confirm: true });
  // { ok: true, userId: 'ann', device, method: 'link', purpose: 'login' }
  const again = await signIn.finishLink(token, { browser: 'laptop-cookie-value' }); // { ok: false, reason: 'invalid_link' }: used
  // #endregion

  // #region registration
  await signIn.start({ email: 'new@acme.example' });
  await signIn.idle();
  const registered = await signIn.finish({ email: 'new@acme.example', code: await inbox.code('new@acme.example') });
  // { ok: true, userId: <the id register returned>, device (email, purpose 'login'), method: 'email', registered: true }
  // #endregion

  return { started, signedIn, asked, confirmed, again, registered };
}

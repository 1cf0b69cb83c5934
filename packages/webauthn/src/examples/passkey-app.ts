import express from 'express';
import session from 'express-session';
import type { Knex } from 'knex';
import { createOtp, type Clock } from '@otpkit/core';
import { otpLoginRouter, otpMiddleware, otpRequired, twoFactorApi } from '@otpkit/express';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { PasskeySignIn, webauthn } from '@otpkit/webauthn';

/** What the passkey example needs from its host. */
export interface PasskeyAppOptions {
  readonly knex: Knex;
  readonly authenticate: (username: string, password: string) => Promise<number | null>;
  readonly sessionSecret: string;
  readonly clock?: Clock;
}

/** An Express app where users add passkeys and security keys, and sign in with them. */
export async function passkeyApp({ knex, authenticate, sessionSecret, clock }: PasskeyAppOptions) {
  // #region otp
  // Passkeys and security keys beside an authenticator app and backup codes. rpID is the site's
  // domain and origins what browsers show in the address bar (behind a proxy: the public origin).
  const otp = createOtp({
    knex,
    devices: [
      totp({ issuer: 'Acme' }),
      staticTokens(),
      webauthn({ rpName: 'Acme', rpID: 'acme.example', origins: 'https://acme.example' }),
    ],
    ...(clock === undefined ? {} : { clock }),
  });
  await otp.migrate();
  // #endregion

  // #region routes
  const app = express();
  app.use(session({ secret: sessionSecret, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax' } }));
  app.use(otpMiddleware(otp));
  // Passwordless sign-in: the login page offers the site's passkeys, and the API has
  // POST /passkey/options and /passkey/verify. A passkey signs in with both factors.
  const passkeySignIn = new PasskeySignIn(otp);
  app.use('/account', otpLoginRouter(otp, { authenticate, passkeySignIn }));
  app.use('/api/2fa', twoFactorApi(otp, { passkeySignIn }));
  app.get('/settings', otpRequired({ loginUrl: '/account/login' }), (req, res) => {
    res.json({ user: req.otp.userId, method: req.otp.method, userVerified: req.otp.userVerified });
  });
  // #endregion
  return { app, otp };
}

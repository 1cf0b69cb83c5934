import express from 'express';
import session from 'express-session';
import type { Otp } from '@otpkit/core';
import { otpMiddleware, tokenRequired, twoFactorApi } from '@otpkit/express';
import { createSignIn } from '@otpkit/signin';
import { createTokenSessions, type SigningKey } from '@otpkit/tokens';

/** What the example needs from its host: an otp instance with the `sms` and `email` plugins, the session secret, the tokens' signing key. */
export interface PasswordlessApiOptions {
  readonly otp: Otp;
  readonly sessionSecret: string;
  readonly signingKey: SigningKey;
}

/** A single-page application's back end: passwordless sign-in by code or magic link, into token sessions kept in cookies. */
export async function passwordlessApi({ otp, sessionSecret, signingKey }: PasswordlessApiOptions) {
  // #region setup
  const signIn = createSignIn(otp, {
    // The link opens the API's page, which signs in the browser that asked for it.
    linkUrl: (token) => `https://acme.example/api/2fa/signin/link/${token}`,
  });
  const sessions = createTokenSessions(otp, { issuer: 'https://acme.example', audience: 'https://acme.example/api', signingKeys: [signingKey] });
  await signIn.migrate();
  await sessions.migrate();

  const app = express();
  app.set('trust proxy', 1); // behind one proxy: req.ip is the client's, which the sign-in's limits count by
  app.use(session({ secret: sessionSecret, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax' } }));
  app.use(otpMiddleware(otp));
  // POST /api/2fa/signin/start, /signin/finish and /signin/link, and the link's page; the refresh token in a cookie.
  app.use('/api/2fa', twoFactorApi(otp, { signIn, tokenSessions: sessions, tokenTransport: 'cookie' }));
  app.get('/api/me', tokenRequired(sessions), (req, res) => void res.json({ userId: req.token!.sub, amr: req.token!.amr, aal: req.token!.aal }));
  // #endregion

  return { app, signIn };
}

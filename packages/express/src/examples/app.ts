import express from 'express';
import session from 'express-session';
import type { Otp } from '@otpkit/core';
import { otpLoginRouter, otpMiddleware, otpRequired, twoFactorApi } from '@otpkit/express';

/** What the example app needs from its host: the otp instance (with its event hooks), password checking, secrets. */
export interface ExampleAppOptions {
  readonly otp: Otp;
  readonly authenticate: (username: string, password: string) => Promise<number | null>;
  readonly sessionSecret: string;
}

/** An Express app with password + second-factor login, protected pages and the JSON API. */
export function exampleApp({ otp, authenticate, sessionSecret }: ExampleAppOptions) {
  const app = express();

  // #region session
  // Sessions first: otpkit keeps the verification in the session.
  app.use(
    session({
      secret: sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  // #endregion

  // #region middleware
  // req.otp on every request; "remember this browser" is optional. Event hooks go to createOtp.
  app.use(
    otpMiddleware(otp, {
      getUserId: (req) => req.session.userId,
      rememberDevice: { rememberFor: 30 * 24 * 3600 },
      recentVerification: 300, // seconds: changing the account's factors needs a token this recent
    }),
  );
  // #endregion

  // #region login-views
  // The login views: GET|POST /account/login, /account/verify, POST /account/logout.
  app.use('/account', otpLoginRouter(otp, { authenticate }));
  // #endregion

  // #region api
  // The JSON API for a settings page or a mobile app.
  app.use('/api/2fa', twoFactorApi(otp, { rescue: false }));
  // #endregion

  // #region guards
  // Pages: verified users only; users without a device may still see the dashboard.
  const login = { loginUrl: '/account/login' };
  app.get('/dashboard', otpRequired({ ...login, ifConfigured: true }), (req, res) => {
    res.json({ page: 'dashboard', verified: req.otp.isVerified() });
  });
  app.get('/billing', otpRequired(login), (req, res) => {
    res.json({ page: 'billing', device: req.otp.device?.persistentId });
  });
  // Step-up: a verification older than 5 minutes must be repeated.
  app.post('/billing/delete-account', otpRequired({ ...login, maxAge: 300 }), (_req, res) => {
    res.json({ deleted: true });
  });
  // #endregion

  return app;
}

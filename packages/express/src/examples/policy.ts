import express from 'express';
import session from 'express-session';
import type { Otp } from '@otpkit/core';
import { otpLoginRouter, otpMiddleware, otpRequired } from '@otpkit/express';

/** What the example app needs from its host: the otp instance, password checking, who is an administrator. */
export interface PolicyAppOptions {
  readonly otp: Otp;
  readonly authenticate: (username: string, password: string) => Promise<number | null>;
  readonly isAdmin: (userId: string) => Promise<boolean>;
  readonly sessionSecret: string;
}

/** An app where administrators must have two-factor (with two weeks to set it up) and everyone else may choose. */
export function policyApp({ otp, authenticate, isAdmin, sessionSecret }: PolicyAppOptions) {
  const app = express();
  app.use(session({ secret: sessionSecret, resave: false, saveUninitialized: false }));

  // #region policy
  app.use(
    otpMiddleware(otp, {
      policy: {
        // Administrators must have a second factor; everyone else may choose.
        require: async (userId) => ((await isAdmin(userId)) ? 'required' : 'optional'),
        graceDays: 14, // counted from the first time the policy applied to the user
        satisfiedBy: ['totp', 'static'], // an authenticator app or backup codes; not an email code
      },
    }),
  );
  // After the password, an administrator with no such device is sent to /account/enrol.
  app.use('/account', otpLoginRouter(otp, { authenticate }));
  // #endregion

  // #region guards
  // Within the grace period an administrator with no device passes; after it, they must enrol first.
  app.get('/admin', otpRequired({ loginUrl: '/account/login' }), (req, res) => {
    res.json({ page: 'admin', verified: req.otp.isVerified() });
  });
  // Your own pages can remind them: req.otp.policy() says until when they may wait.
  app.get('/', async (req, res) => {
    const { required, satisfied, graceEndsAt } = await req.otp.policy();
    res.json({ page: 'home', required, satisfied, enrolmentDue: graceEndsAt });
  });
  // #endregion

  return app;
}

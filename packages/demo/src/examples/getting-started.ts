import express from 'express';
import session from 'express-session';
import type { Knex } from 'knex';
import { createOtp, type UserId } from '@otpkit/core';
import { otpLoginRouter, otpMiddleware, otpRequired, type SignUp } from '@otpkit/express';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';

type CheckPassword = (username: string, password: string) => Promise<UserId | null>;

export async function createApp(knex: Knex, checkPassword: CheckPassword, createUser: SignUp) {
  const otp = createOtp({ knex, devices: [totp({ issuer: 'Acme' }), staticTokens()], secretKeys: { '1': process.env.OTP_KEY_1 } });
  await otp.migrate(); // creates otpkit's tables on first run

  const app = express();
  app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
  // req.otp on every request; everyone must set up a second factor, within 7 days of first signing in.
  app.use(otpMiddleware(otp, { policy: { require: () => 'required', graceDays: 7 } }));
  // Sign up, sign in, then an authenticator app and backup codes, or a code: pages under /account.
  app.use('/account', otpLoginRouter(otp, { authenticate: checkPassword, signUp: createUser }));
  app.get('/billing', otpRequired({ loginUrl: '/account/login' }), (req, res) => {
    res.send(`Billing for user ${req.otp.userId}, ${req.otp.device ? `verified with ${req.otp.device.name}` : 'who has 7 days to set up two-factor'}`);
  });
  return { app, otp };
}

import express from 'express';
import session from 'express-session';
import type { Knex } from 'knex';
import { createOtp, type UserId } from '@otpkit/core';
import { otpLoginRouter, otpMiddleware, otpRequired } from '@otpkit/express';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';

type CheckPassword = (username: string, password: string) => Promise<UserId | null>;

export async function createApp(knex: Knex, checkPassword: CheckPassword) {
  const otp = createOtp({ knex, devices: [totp({ issuer: 'Acme' }), staticTokens()], secretKeys: { '1': process.env.OTP_KEY_1 } });
  await otp.migrate(); // creates otpkit's tables on first run

  const app = express();
  app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
  app.use(otpMiddleware(otp)); // req.otp: who is authenticated, and verified with which device
  app.use('/account', otpLoginRouter(otp, { authenticate: checkPassword })); // password, then a token
  app.get('/billing', otpRequired({ loginUrl: '/account/login' }), (req, res) => {
    res.send(`Billing for user ${req.otp.userId}, verified with ${req.otp.device!.name}`);
  });
  return { app, otp };
}

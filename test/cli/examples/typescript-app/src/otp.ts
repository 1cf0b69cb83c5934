// src/otp.ts: the app's otpkit setup, which its routes import too.
import { createOtp, type Otp } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { database } from './database.js';

export const otp: Otp = createOtp({
  knex: database,
  devices: [totp({ issuer: 'Acme' }), staticTokens()],
  users: { table: 'accounts', usernameColumn: 'login' },
  secretKeys: { '1': process.env.OTP_KEY_1 },
});

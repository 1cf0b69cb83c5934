import { createOtp, groupForDisplay, type Clock } from '@otpkit/core';
import { totp, type TOTPDevice } from '@otpkit/totp';
import type { Knex } from 'knex';

/** Enrols an authenticator app for a user, then signs in with a later code from the app. */
export async function authenticatorAppExample(
  knex: Knex,
  userId: string,
  codeFromApp: (keyUri: string) => Promise<string>, // what the user types after scanning
  clock: Clock = Date.now,
) {
  const otp = createOtp({
    knex,
    devices: [totp({ issuer: 'Acme', image: 'https://acme.example/logo.png' })],
    secretKeys: { '1': process.env.OTP_KEY_1 }, // 32 bytes, base64 or hex
    clock,
  });
  await otp.migrate();

  // Enrolment: a new device is unconfirmed. Show its QR code, and the key for typing it in.
  const device = await otp.createDevice('totp', userId, { name: 'Phone' });
  const account = { account: 'alice@example.com' }; // default: the username from `users`
  const keyUri = await device.keyUri(account); // otpauth://totp/Acme:alice%40example.com?secret=…
  const qrPng = await device.qrCode('png', account); // <img src="data:image/png;base64,…">
  const manualKey = groupForDisplay(device.revealKey()); // 'JBSW Y3DP …'

  // The first code from the app confirms the device; that code is then spent.
  const enrolment = await otp.confirmDevice(userId, device.persistentId, await codeFromApp(keyUri)); // { ok: true, device }

  // At login: a code from a later time step (a code is accepted once).
  const code = await codeFromApp(keyUri);
  const verified = await otp.verifyToken(userId, device.persistentId, code); // the device, or null
  const replayed = await otp.verifyToken(userId, device.persistentId, code); // null: step used

  return { keyUri, qrPng, manualKey, enrolment, verified, replayed };
}

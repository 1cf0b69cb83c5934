import { createOtp } from '@otpkit/core';
import { hotp, type HOTPDevice } from '@otpkit/hotp';
import type { Knex } from 'knex';

/** Registers a counter-based hardware token from its seed and signs in with codes it shows. */
export async function hardwareTokenExample(
  knex: Knex,
  userId: string,
  seedHex: string, // from the vendor's seed file, e.g. '3132333435363738393031323334353637383930'
  pressButton: () => string, // the code the token shows at each press
) {
  const otp = createOtp({
    knex,
    devices: [hotp({ issuer: 'Acme', tolerance: 5 })],
    secretKeys: { '1': process.env.OTP_KEY_1 }, // 32 bytes, base64 or hex
  });
  await otp.migrate();

  // The administrator registers the token: confirmed at once, counter 0 (or the seed file's value).
  const device = await otp.createDevice('hotp', userId, { name: 'Key fob', key: seedHex, counter: 0, confirmed: true });

  // The user pressed the button twice without signing in: the look-ahead of 5 absorbs that.
  pressButton();
  pressButton();
  const verified = await otp.matchToken(userId, pressButton()); // the device; its counter is now 3
  const next = await otp.matchToken(userId, pressButton()); // the device; counter 4

  // A software token can be loaded from the Key-URI, which carries the current counter.
  const current = (await otp.deviceFromPersistentId(device.persistentId)) as HOTPDevice;
  const keyUri = await current.keyUri({ account: 'alice@example.com' }); // …&counter=4

  return { verified, next, counter: current.counter, keyUri };
}

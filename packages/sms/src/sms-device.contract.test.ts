import type { Otp } from '@otpkit/core';
import { deviceContractSuite, type FakeClock } from '@otpkit/core/testing';
import { sms, TwilioProvider, type SMSDevice } from '@otpkit/sms';
import { afterAll } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN, startTwilioServer } from './test-support/twilio-server.js';

const twilio = await startTwilioServer();
afterAll(async () => {
  await twilio.close();
});

const provider = new TwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: twilio.baseUrl });
let nextNumber = 14155550000;

/**
 * The token texted to the device: its still-valid pending token when it has one (a new challenge
 * would hit the cooldown), else a fresh challenge's. Both are read from the received message.
 */
async function validToken(device: SMSDevice, otp: Otp, clock: FakeClock): Promise<string> {
  const current = (await otp.deviceFromPersistentId<SMSDevice>(device.persistentId))!;
  if (current.validUntil === null || current.validUntil <= clock.now()) {
    const outcome = await otp.generateChallenge(current.userId, current.persistentId);
    if (!outcome.ok) throw new Error(`challenge refused: ${outcome.reason}`);
  }
  return twilio.lastTokenTo(current.number);
}

deviceContractSuite<SMSDevice>({
  plugin: (factor) => sms({ provider, throttle: { factor } }),
  createDevice: (otp, userId, confirmed) => otp.createDevice('sms', userId, { confirmed, number: `+${nextNumber++}` }),
  validToken,
  otpOptions: { secretKeys: { '1': 'c'.repeat(64) } },
});

import { deviceContractSuite, type FakeClock } from '@otpkit/core/testing';
import type { Otp } from '@otpkit/core';
import { email, type EmailDevice } from '@otpkit/email';
import { afterAll } from 'vitest';
import { startSmtpSink } from './test-support/smtp-sink.js';

const sink = await startSmtpSink();
afterAll(async () => {
  await sink.close();
});

const addressOf = (userId: string) => `${userId}@example.test`;

/**
 * The token mailed to the device: its still-valid pending token when it has one (a new challenge
 * would hit the cooldown), else a fresh challenge's. Both are read from the received message.
 */
async function validToken(device: EmailDevice, otp: Otp, clock: FakeClock): Promise<string> {
  const current = (await otp.deviceFromPersistentId<EmailDevice>(device.persistentId))!;
  if (current.validUntil === null || current.validUntil <= clock.now()) {
    const outcome = await otp.generateChallenge(current.userId, current.persistentId);
    if (!outcome.ok) throw new Error(`challenge refused: ${outcome.reason}`);
  }
  return sink.lastTokenTo(current.email!);
}

for (const secretKeys of [{}, { '1': 'b'.repeat(64) }]) {
  deviceContractSuite<EmailDevice>({
    plugin: (factor) => email({ transport: sink.url, from: 'otpkit <otp@example.test>', throttle: { factor } }),
    createDevice: (otp, userId, confirmed) => otp.createDevice('email', userId, { confirmed, email: addressOf(userId) }),
    validToken,
    otpOptions: { secretKeys },
  });
}

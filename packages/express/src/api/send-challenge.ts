import type { Request } from 'express';
import { describeRefusal, type Device, type Otp } from '@otpkit/core';
import { emitEvent } from '../internal/context.js';
import { refusalError } from './refusal-error.js';

/** What the API answers after sending a code. */
export interface ChallengeSent {
  readonly message: string;
  /** Until when (epoch ms) the code is valid. */
  readonly validUntil: number;
}

/**
 * Asks an interactive device to send a code and reports `challengeSent`. A cooldown or a daily send
 * limit is a 429 with Retry-After, a non-interactive device a 400; a failed delivery throws core's `DeliveryError` (502).
 */
export async function sendChallenge(otp: Otp, req: Request, userId: string, device: Device): Promise<ChallengeSent> {
  const outcome = await otp.generateChallenge(userId, device.persistentId);
  if (outcome.ok) {
    await emitEvent(req, 'challengeSent', { userId, deviceId: device.persistentId });
    return { message: outcome.message, validUntil: outcome.validUntil };
  }
  throw refusalError(describeRefusal(outcome, otp.clock()));
}

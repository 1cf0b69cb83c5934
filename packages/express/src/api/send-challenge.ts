import type { Request } from 'express';
import type { Device, Otp } from '@otpkit/core';
import { retryAfterSeconds } from '../http-errors.js';
import { eventMeta } from '../internal/event-meta.js';
import { ApiError } from './api-error.js';

/** What the API answers after sending a code. */
export interface ChallengeSent {
  readonly message: string;
  /** Until when (epoch ms) the code is valid. */
  readonly validUntil: number;
}

/**
 * Asks an interactive device to send a code (core reports `challengeSent`). A cooldown or a daily send
 * limit is a 429 with Retry-After, a non-interactive device a 400; a failed delivery throws core's `DeliveryError` (502).
 */
export async function sendChallenge(otp: Otp, req: Request, userId: string, device: Device): Promise<ChallengeSent> {
  const outcome = await otp.generateChallenge(userId, device.persistentId, {}, eventMeta(req));
  if (outcome.ok) {
    return { message: outcome.message, validUntil: outcome.validUntil };
  }
  if (outcome.reason === 'cooldown') throw new ApiError('cooldown', { retryAfter: retryAfterSeconds(outcome.nextAt, otp.clock) });
  if (outcome.reason === 'daily_limit') throw new ApiError('daily_limit', { retryAfter: retryAfterSeconds(outcome.retryAt, otp.clock) });
  throw new ApiError(outcome.reason === 'not_interactive' ? 'not_interactive' : 'device_not_found');
}

import type { Request } from 'express';
import type { ChallengeOutcome, Device, Otp } from '@otpkit/core';
import { retryAfterSeconds } from '../http-errors.js';
import { emitEvent } from '../internal/context.js';
import { ApiError } from './api-error.js';

/** What the API answers after sending a code. */
export interface ChallengeSent {
  readonly message: string;
  /** Until when (epoch ms) the code is valid. */
  readonly validUntil: number;
}

/**
 * The answer to a refused send (a challenge, or the first code of an enrolment): a cooldown or a
 * daily send limit is a 429 with Retry-After, a non-interactive device a 400, else a 404.
 */
export function challengeRefusal(otp: Otp, refusal: Extract<ChallengeOutcome, { ok: false }>): ApiError {
  if (refusal.reason === 'cooldown') return new ApiError('cooldown', { retryAfter: retryAfterSeconds(refusal.nextAt, otp.clock) });
  if (refusal.reason === 'daily_limit') return new ApiError('daily_limit', { retryAfter: retryAfterSeconds(refusal.retryAt, otp.clock) });
  return new ApiError(refusal.reason === 'not_interactive' ? 'not_interactive' : 'device_not_found');
}

/**
 * Asks an interactive device to send a code and reports `challengeSent`. A refusal throws
 * {@link challengeRefusal}'s answer; a failed delivery throws core's `DeliveryError` (502).
 */
export async function sendChallenge(otp: Otp, req: Request, userId: string, device: Device): Promise<ChallengeSent> {
  const outcome = await otp.generateChallenge(userId, device.persistentId);
  if (!outcome.ok) throw challengeRefusal(otp, outcome);
  await emitEvent(req, 'challengeSent', { userId, deviceId: device.persistentId });
  return { message: outcome.message, validUntil: outcome.validUntil };
}

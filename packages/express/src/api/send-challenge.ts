import type { Request } from 'express';
import { describeRefusal, type ChallengeRefusal, type Device, type Otp } from '@otpkit/core';
import { challengeContext } from '../internal/ceremony-binding.js';
import { eventMeta } from '../internal/event-meta.js';
import type { ApiError } from './api-error.js';
import { refusalError } from './refusal-error.js';

/** What the API answers after sending a code, or issuing a challenge the browser answers. */
export interface ChallengeSent {
  readonly message: string;
  /** Until when (epoch ms) the code (or the challenge) is valid. */
  readonly validUntil: number;
  /** What the browser needs to answer the challenge (WebAuthn: the options of `navigator.credentials.get`), when the device is answered in the browser. */
  readonly request?: Readonly<Record<string, unknown>>;
}

/**
 * The answer to a refused send (a challenge, or the first code of an enrolment): a cooldown or a
 * daily send limit is a 429 with Retry-After, a non-interactive device a 400, else a 404.
 */
export function challengeRefusal(otp: Otp, refusal: ChallengeRefusal): ApiError {
  return refusalError(describeRefusal(refusal, otp.clock()));
}

/**
 * Asks an interactive device to send a code, or to issue a challenge the browser answers, bound
 * to the session (core reports `challengeSent`). A refusal throws
 * {@link challengeRefusal}'s answer; a failed delivery throws core's `DeliveryError` (502).
 */
export async function sendChallenge(otp: Otp, req: Request, userId: string, device: Device): Promise<ChallengeSent> {
  const outcome = await otp.generateChallenge(userId, device.persistentId, challengeContext(req, otp, device), eventMeta(req));
  if (!outcome.ok) throw challengeRefusal(otp, outcome);
  const { message, validUntil, request } = outcome;
  return request === undefined ? { message, validUntil } : { message, validUntil, request };
}

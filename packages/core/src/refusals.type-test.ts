/**
 * Type tests, checked by `tsc -p tsconfig.json --noEmit` (never run): each `@ts-expect-error`
 * fails the check when the line it guards compiles.
 */
import {
  describeRefusal,
  isOtpError,
  type AnyOtpError,
  type ChallengeOutcome,
  type ChallengeRefusal,
  type GenerateAllowance,
  type ValidationError,
  type VerifyAllowance,
  type VerifyOutcome,
  type VerifyRefusalReason,
} from './index.js';

// Comparing `code` narrows an otpkit error to its class.
declare const error: AnyOtpError;
if (error.code === 'ERR_OTP_INVALID_INPUT') {
  const field: string | undefined = error.field;
  void field;
}
if (error.code === 'ERR_OTP_STORAGE') {
  // @ts-expect-error a StorageError has no field
  void error.field;
}
// @ts-expect-error no such code
if (error.code === 'ERR_OTP_NO_SUCH_CODE') void error;
// @ts-expect-error each class has one literal code
export const otherCode: ValidationError['code'] = 'ERR_OTP_STORAGE';

declare const caught: unknown;
if (isOtpError(caught) && caught.code === 'ERR_OTP_INVALID_INPUT') void caught.field;

// A challenge is never throttled; a verification never cools down; a malformed token has no count.
// @ts-expect-error a challenge has no reason 'throttled'
export const throttledChallenge: ChallengeOutcome = { ok: false, reason: 'throttled', failureCount: 1, lockedUntil: 0 };
declare const challenge: ChallengeOutcome;
// @ts-expect-error a challenge's reason is never 'throttled'
if (!challenge.ok && challenge.reason === 'throttled') void challenge;
// @ts-expect-error a verification has no reason 'cooldown'
export const coolingVerification: VerifyOutcome = { ok: false, reason: 'cooldown', nextAt: 0 };
// @ts-expect-error a malformed token reports no failure count
export const countedMalformed: VerifyOutcome = { ok: false, reason: 'malformed_token', failureCount: 0 };
// @ts-expect-error a verification's allowance is never a cooldown
export const coolingAllowance: VerifyAllowance = { allowed: false, reason: 'cooldown', nextAt: 0 };
// @ts-expect-error a generation's allowance is never a throttle
export const throttledGeneration: GenerateAllowance = { allowed: false, reason: 'throttled', failureCount: 1, lockedUntil: 0 };

// describeRefusal keeps the kind of refusal it was given.
declare const refusedChallenge: ChallengeRefusal;
const described = describeRefusal(refusedChallenge, 0);
export const challengeReason: 'no_device' | 'not_interactive' | 'cooldown' | 'daily_limit' = described.reason;
// @ts-expect-error a challenge's reason is not a verification's
export const verifyReason: VerifyRefusalReason = described.reason;

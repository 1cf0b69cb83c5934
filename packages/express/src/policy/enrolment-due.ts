import type { Response } from 'express';
import type { TwoFactorPolicyState } from './two-factor-policy.js';

/**
 * The response header that tells a required user's client when their grace period to enrol ends
 * (or ended): an ISO 8601 date, set by `otpRequired` and the JSON API for a required user with no
 * satisfying device, so an app can remind them.
 */
export const ENROLMENT_DUE_HEADER = 'OTPKit-Enrolment-Due';

/** Sets {@link ENROLMENT_DUE_HEADER} when the user has a grace period (required, not satisfied). */
export function announceEnrolmentDue(res: Response, state: TwoFactorPolicyState): void {
  if (state.graceEndsAt !== null) res.set(ENROLMENT_DUE_HEADER, new Date(state.graceEndsAt).toISOString());
}

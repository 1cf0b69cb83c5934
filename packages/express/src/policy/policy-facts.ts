import type { Request } from 'express';
import { ConfigurationError, servesUse, type Device } from '@otpkit/core';
import { contextOf } from '../internal/context.js';
import type { OtpRequestState } from '../otp-request-state.js';
import type { PolicyRequirement, TwoFactorPolicyState } from './two-factor-policy.js';

/** The policy state of a request's user, and what the guards also need from the same lookup. */
export interface PolicyFacts extends TwoFactorPolicyState {
  /** The user has a confirmed second-factor device, of any type (`otp.userHasDevice`). */
  readonly hasSecondFactor: boolean;
}

const ANONYMOUS: PolicyFacts = Object.freeze({ required: false, satisfied: false, graceEndsAt: null, mustEnrol: false, hasSecondFactor: false });

/** Computed once per request state: `logInSession` replaces `req.otp`, and with it the cache. */
const requirements = new WeakMap<OtpRequestState, Promise<PolicyRequirement>>();
const computed = new WeakMap<OtpRequestState, Promise<PolicyFacts>>();

function once<T>(cache: WeakMap<OtpRequestState, Promise<T>>, state: OtpRequestState, compute: () => Promise<T>): Promise<T> {
  let value = cache.get(state);
  if (value === undefined) {
    value = compute();
    cache.set(state, value);
  }
  return value;
}

/**
 * What otpMiddleware's `policy` answers for the request's user (`'optional'` for an anonymous
 * request, or without a policy): one call of `policy.require`, cached for the request's state.
 * @throws ConfigurationError when `policy.require` answers something else than 'required' or 'optional'.
 */
export function policyRequirement(req: Request, state: OtpRequestState = req.otp): Promise<PolicyRequirement> {
  return once(requirements, state, async () => {
    const { policy } = contextOf(req);
    if (policy === null || state.userId === null) return 'optional';
    const answer = await policy.require(state.userId, req);
    if (answer !== 'required' && answer !== 'optional') {
      throw new ConfigurationError("otpMiddleware: policy.require must return 'required' or 'optional' (or a promise of one)");
    }
    return answer;
  });
}

/**
 * The policy state of the request's user (otpMiddleware's `policy`; without one, nobody is
 * required): the requirement ({@link policyRequirement}), the user's confirmed second-factor
 * devices (no lookup when the session was verified with a satisfying one) and, for a required
 * user, when the policy first applied to them (the start of their grace period:
 * `otp.userSettings.get`, and `startPolicy` to record it the first time). Cached for the request's
 * state (`req.otp`).
 */
export function policyFacts(req: Request, state: OtpRequestState = req.otp): Promise<PolicyFacts> {
  return once(computed, state, () => (state.userId === null ? Promise.resolve(ANONYMOUS) : computeFacts(req, state, state.userId)));
}

/** The policy state of a user it requires, else `null`: what the guards need, with no device lookup for anyone else. */
export async function requiredUserFacts(req: Request): Promise<PolicyFacts | null> {
  return (await policyRequirement(req)) === 'required' ? policyFacts(req) : null;
}

async function computeFacts(req: Request, state: OtpRequestState, userId: string): Promise<PolicyFacts> {
  const { otp, policy } = contextOf(req);
  const satisfies = (device: Device) => servesUse(device.purpose, 'second-factor') && (policy === null || policy.satisfiedBy.has(device.deviceType));
  const verifiedWith = state.device;
  const [requirement, devices] = await Promise.all([
    policyRequirement(req, state),
    verifiedWith !== null && satisfies(verifiedWith) ? [verifiedWith] : otp.devicesForUser(userId, { confirmed: true, purpose: 'second-factor' }),
  ]);
  const satisfied = devices.some(satisfies);
  const hasSecondFactor = devices.length > 0;
  if (requirement === 'optional' || policy === null) return { required: false, satisfied, graceEndsAt: null, mustEnrol: false, hasSecondFactor };
  // Recorded for every required user, satisfied or not: the grace counts from the first time the
  // policy applied, so removing one's devices later does not start a new one.
  const since = (await otp.userSettings.get(userId)).policySince ?? (await otp.userSettings.startPolicy(userId));
  if (satisfied) return { required: true, satisfied, graceEndsAt: null, mustEnrol: false, hasSecondFactor };
  const graceEndsAt = since + policy.graceMs;
  return { required: true, satisfied, graceEndsAt, mustEnrol: otp.clock() >= graceEndsAt, hasSecondFactor };
}

import type { Request } from 'express';
import { ConfigurationError, servesUse, type Device } from '@otpkit/core';
import { contextOf } from '../internal/context.js';
import type { OtpRequestState } from '../otp-request-state.js';
import type { TwoFactorPolicyState } from './two-factor-policy.js';

/** The policy state of a request's user, and what the guards also need from the same lookup. */
export interface PolicyFacts extends TwoFactorPolicyState {
  /** The user has a confirmed second-factor device, of any type (`otp.userHasDevice`). */
  readonly hasSecondFactor: boolean;
}

const ANONYMOUS: PolicyFacts = Object.freeze({ required: false, satisfied: false, graceEndsAt: null, mustEnrol: false, hasSecondFactor: false });

/** Computed once per request state: `logInSession` replaces `req.otp`, and with it the cache. */
const computed = new WeakMap<OtpRequestState, Promise<PolicyFacts>>();

/**
 * The policy as it applies to the request's user (otpMiddleware's `policy`; without one, nobody is
 * required): one call of `policy.require`, one lookup of the user's confirmed second-factor devices
 * and, for a required user, when the policy first applied to them (the start of their grace period:
 * `otp.userSettings.get`, and `startPolicy` to record it the first time). Cached for the request's state (`req.otp`).
 * @throws ConfigurationError when `policy.require` answers something else than 'required' or 'optional'.
 */
export function policyFacts(req: Request, state: OtpRequestState = req.otp): Promise<PolicyFacts> {
  let facts = computed.get(state);
  if (facts === undefined) {
    facts = state.userId === null ? Promise.resolve(ANONYMOUS) : computeFacts(req, state.userId);
    computed.set(state, facts);
  }
  return facts;
}

async function computeFacts(req: Request, userId: string): Promise<PolicyFacts> {
  const { otp, policy } = contextOf(req);
  const [requirement, devices] = await Promise.all([
    policy === null ? 'optional' : policy.require(userId, req),
    otp.devicesForUser(userId, { confirmed: true, purpose: 'second-factor' }),
  ]);
  if (requirement !== 'required' && requirement !== 'optional') {
    throw new ConfigurationError("otpMiddleware: policy.require must return 'required' or 'optional' (or a promise of one)");
  }
  const satisfies = (device: Device) => servesUse(device.purpose, 'second-factor') && (policy === null || policy.satisfiedBy.has(device.deviceType));
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

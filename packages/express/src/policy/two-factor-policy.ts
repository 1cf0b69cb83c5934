import type { Request } from 'express';
import { checkOptionKeys, ConfigurationError, type Otp } from '@otpkit/core';
import { safeNext } from '../internal/safe-next.js';

/** Whether a user must have two-factor authentication (`required`) or may choose (`optional`). */
export type PolicyRequirement = 'required' | 'optional';

/**
 * The `policy` option of `otpMiddleware`: which users must have two-factor authentication, how long
 * a required user without a device may still sign in without one (the grace period, counted from
 * the first time the policy applied to them), and which device types count.
 */
export interface TwoFactorPolicy {
  /**
   * Whether the authenticated user (stored id) must have two-factor: `'required'` or `'optional'`,
   * e.g. by role. Called at most once per request, and only when something asks (`otpRequired`, the
   * JSON API, the login views, `req.otp.policy()`).
   */
  readonly require: (userId: string, req: Request) => PolicyRequirement | Promise<PolicyRequirement>;
  /**
   * Days a required user with no satisfying device may go on without one, counted from the first
   * time the policy applied to them (`otp.userSettings.startPolicy`); they are reminded meanwhile.
   * `0`: they must enrol at once. A whole number from 0 to 365. @default 14
   */
  readonly graceDays?: number;
  /**
   * The device types whose confirmed second-factor devices satisfy the policy (e.g.
   * `['totp', 'webauthn', 'static']`, leaving email out); each must be configured on `otp`.
   * @default every configured type
   */
  readonly satisfiedBy?: readonly string[];
  /**
   * Where `otpRequired` sends a browser that must enrol, with `next`: a same-site path.
   * @default the `enrol` page next to `otpRequired`'s `loginUrl` (`/account/login` → `/account/enrol`: `otpLoginRouter`'s)
   */
  readonly enrolUrl?: string;
}

/** The policy as it applies to one user, now (`await req.otp.policy()`). */
export interface TwoFactorPolicyState {
  /** The policy requires two-factor of this user. */
  readonly required: boolean;
  /** The user has a confirmed second-factor device of a type in `satisfiedBy`. */
  readonly satisfied: boolean;
  /** When the grace period of a required user with no satisfying device ends (epoch ms), else `null`. */
  readonly graceEndsAt: number | null;
  /** Required, not satisfied and past the grace period: the user must enrol before anything else. */
  readonly mustEnrol: boolean;
}

/** The resolved policy. */
export interface ResolvedPolicy {
  readonly require: TwoFactorPolicy['require'];
  readonly graceMs: number;
  readonly satisfiedBy: ReadonlySet<string>;
  readonly enrolUrl: string | null;
}

/**
 * Days of grace by default: two weeks, the registration window Microsoft Entra's security
 * defaults give users for MFA. It spans two weekly sign-ins (and a week away), so an occasional
 * user is reminded before being forced, and keeps an account single-factor for a bounded time.
 */
export const DEFAULT_GRACE_DAYS = 14;

const DAY_MS = 86_400_000;
const OPTION_KEYS: readonly (keyof TwoFactorPolicy)[] = ['require', 'graceDays', 'satisfiedBy', 'enrolUrl'];

/**
 * Validates otpMiddleware's `policy` against the otp instance's plugins.
 * @throws ConfigurationError naming the fix.
 */
export function resolvePolicy(otp: Otp, policy: TwoFactorPolicy): ResolvedPolicy {
  if (policy === null || typeof policy !== 'object') throw new ConfigurationError("otpMiddleware: policy must be an object such as { require: (userId, req) => 'required' }");
  checkOptionKeys('otpMiddleware policy', policy, OPTION_KEYS);
  if (typeof policy.require !== 'function') throw new ConfigurationError("otpMiddleware: policy.require must be a function (userId, req) => 'required' | 'optional'");
  const graceDays = policy.graceDays ?? DEFAULT_GRACE_DAYS;
  if (!Number.isInteger(graceDays) || graceDays < 0 || graceDays > 365) throw new ConfigurationError('otpMiddleware: policy.graceDays must be a whole number of days from 0 to 365');
  const configured = otp.plugins.map((plugin) => plugin.type);
  const satisfiedBy = policy.satisfiedBy ?? configured;
  if (!Array.isArray(satisfiedBy) || satisfiedBy.length === 0 || !satisfiedBy.every((type) => typeof type === 'string')) {
    throw new ConfigurationError(`otpMiddleware: policy.satisfiedBy must list device types, e.g. ['totp'] (configured: ${configured.join(', ')})`);
  }
  const unknown = satisfiedBy.filter((type) => !configured.includes(type));
  if (unknown.length > 0) {
    throw new ConfigurationError(`otpMiddleware: policy.satisfiedBy names ${unknown.join(', ')}, not configured on createOtp({ devices }) (configured: ${configured.join(', ')})`);
  }
  const enrolUrl = policy.enrolUrl ?? null;
  if (enrolUrl !== null && (typeof enrolUrl !== 'string' || safeNext(enrolUrl, '') !== enrolUrl)) {
    throw new ConfigurationError('otpMiddleware: policy.enrolUrl must be a path such as /account/enrol');
  }
  return Object.freeze({ require: policy.require, graceMs: graceDays * DAY_MS, satisfiedBy: new Set(satisfiedBy), enrolUrl });
}

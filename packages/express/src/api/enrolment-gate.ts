import type { Request, RequestHandler } from 'express';
import { contextOf } from '../internal/context.js';
import { announceEnrolmentDue } from '../policy/enrolment-due.js';
import { requiredUserFacts } from '../policy/policy-facts.js';
import { ApiError } from './api-error.js';

/**
 * The routes that do not act for the session's user, whom the policy is about: a sign-in (which
 * replaces the session's user) and token sessions (authenticated by their bearer token).
 */
const SESSION_FREE = /^\/(?:signin|passkey|tokens)(?:\/|$)/;

/**
 * What a user who must enrol may still do, and only that: list their devices and the methods they
 * can verify with, enrol a device of a satisfying type and confirm it, and ask for and answer a
 * challenge of a device they have (enrolling needs a recent verification when the account already
 * has a device).
 */
function neededToEnrol(req: Request, satisfiedBy: ReadonlySet<string>): boolean {
  const path = req.path;
  if (req.method === 'GET') return path === '/devices' || path === '/methods';
  if (req.method !== 'POST') return false;
  if (path === '/challenge' || path === '/validate') return true;
  const enrolment = /^\/devices\/([^/]+)(?:\/[^/]+\/confirm)?$/.exec(path);
  return enrolment !== null && satisfiedBy.has(enrolment[1]!);
}

/**
 * The JSON API's part of otpMiddleware's `policy`: a session user who must enrol (required, no
 * satisfying device, past the grace period) gets 403 `enrolment_required` from every route but
 * those needed to enrol; a required user with no satisfying device gets `OTPKit-Enrolment-Due` on
 * every answer.
 */
export function enrolmentGate(): RequestHandler {
  return async (req, res, next) => {
    const { policy } = contextOf(req);
    if (policy === null || SESSION_FREE.test(req.path)) return next();
    const facts = await requiredUserFacts(req);
    if (facts === null) return next();
    announceEnrolmentDue(res, facts);
    next(facts.mustEnrol && !neededToEnrol(req, policy.satisfiedBy) ? new ApiError('enrolment_required') : undefined);
  };
}

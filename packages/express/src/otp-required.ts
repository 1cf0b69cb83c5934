import type { Request, RequestHandler, Response } from 'express';
import { checkOptionKeys, ConfigurationError, Messages } from '@otpkit/core';
import { contextError, contextOf, isServable, loggerOf } from './internal/context.js';
import { requestText } from './internal/request-text.js';
import { safeNext } from './internal/safe-next.js';
import { wantsJson } from './internal/wants-json.js';
import { isStorageFailure, sendError } from './http-errors.js';
import { answerStorageUnavailable } from './internal/storage-unavailable.js';
import { announceEnrolmentDue } from './policy/enrolment-due.js';
import { requiredUserFacts } from './policy/policy-facts.js';

/** Options of {@link otpRequired}. */
export interface OtpRequiredOptions {
  /** Where an HTML request that does not pass is redirected (the login or token view), a same-site path. Required unless `json` is true. */
  readonly loginUrl?: string;
  /** The query parameter that carries the URL to return to. @default 'next' */
  readonly redirectField?: string;
  /** Let authenticated users with no confirmed second-factor device (`otp.userHasDevice`; a `login`-only device does not count) through unverified. @default false */
  readonly ifConfigured?: boolean;
  /**
   * Seconds a token verification counts for this route; older ones, and sessions verified by a
   * remembered browser or a rescue, must type a token again (step-up). @default undefined (no limit)
   */
  readonly maxAge?: number;
  /**
   * Answer every request that does not pass with JSON (401 `unauthenticated`, 403
   * `verification_required`, `recent_verification_required` or `enrolment_required`), whatever
   * its `Accept` header: for routes that only serve an API. `false` chooses by the request: JSON
   * for an XHR or an `Accept` that prefers it, else the redirect. @default false
   */
  readonly json?: boolean;
}

/** Every key of {@link OtpRequiredOptions}. */
const OPTION_KEYS: readonly (keyof OtpRequiredOptions)[] = ['loginUrl', 'redirectField', 'ifConfigured', 'maxAge', 'json'];

const BASE = 'http://otpkit.invalid';
/** The built-in catalog, for the one answer given before otpMiddleware could attach the app's own. */
const fallbackMessages = new Messages();

/**
 * A guard: lets a verified request through; otherwise redirects an HTML request to
 * `loginUrl?next=<this URL>` and answers a JSON request (Accept: application/json, or an XHR; every
 * request with `json: true`) with 401 `unauthenticated` or 403 `verification_required` / `recent_verification_required`.
 * With otpMiddleware's `policy`, a required user with no satisfying device is sent to enrol once
 * their grace period is over (HTML: to the policy's `enrolUrl`, by default the `enrol` page next to
 * `loginUrl`; JSON: 403 `enrolment_required`), even where `ifConfigured` would let them through;
 * within it, one with no device at all passes as with `ifConfigured`, and every answer carries
 * `OTPKit-Enrolment-Due`. When those reads cannot reach the database, it answers 503
 * `storage_unavailable` with `Retry-After` (a page, or JSON to a client that wants it). Needs `otpMiddleware` first.
 * @throws ConfigurationError for bad options (at start-up).
 */
export function otpRequired(options: OtpRequiredOptions): RequestHandler {
  if (options === null || typeof options !== 'object') throw new ConfigurationError('otpRequired: options must be an object such as { loginUrl: "/account/login" }');
  checkOptionKeys('otpRequired', options, OPTION_KEYS);
  const { loginUrl, redirectField = 'next', ifConfigured = false, maxAge, json = false } = options;
  if (typeof json !== 'boolean') throw new ConfigurationError('otpRequired: json must be true (always answer JSON) or false (by the Accept header)');
  if ((loginUrl !== undefined || !json) && (typeof loginUrl !== 'string' || safeNext(loginUrl, '') !== loginUrl)) {
    throw new ConfigurationError('otpRequired: loginUrl must be a path such as /account/login (or give json: true for a route that only answers JSON)');
  }
  if (typeof redirectField !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(redirectField)) {
    throw new ConfigurationError('otpRequired: redirectField must be a plain parameter name');
  }
  if (maxAge !== undefined && (!Number.isFinite(maxAge) || maxAge <= 0)) throw new ConfigurationError('otpRequired: maxAge must be a positive number of seconds');
  const answersJson = (req: Request) => json || wantsJson(req);
  const defaultEnrolUrl = new URL('enrol', new URL(loginUrl ?? '/', BASE)).pathname;
  const redirect = (req: Request, res: Response, url: string) => {
    const target = new URL(url, BASE);
    target.searchParams.set(redirectField, safeNext(req.originalUrl, '/'));
    res.redirect(303, `${target.pathname}${target.search}`);
  };
  const guard: RequestHandler = async (req, res, next) => {
    if (!isServable(req) && answersJson(req)) {
      // No session (or no otpMiddleware): a server mistake, answered as JSON to a JSON client.
      loggerOf(req).warn(`otpRequired: ${contextError(req).message}`);
      return sendError(res, requestText(req, fallbackMessages).t, 'internal');
    }
    const { otp, policy } = contextOf(req);
    const state = req.otp;
    const facts = policy === null ? null : await requiredUserFacts(req);
    if (policy !== null && facts !== null) {
      announceEnrolmentDue(res, facts);
      if (facts.mustEnrol) return answersJson(req) ? sendError(res, state.t, 'enrolment_required') : redirect(req, res, policy.enrolUrl ?? defaultEnrolUrl);
      // Within the grace period, a required user with no device yet passes, as with ifConfigured.
      if (facts.graceEndsAt !== null && !facts.hasSecondFactor) return next();
    }
    // A step-up needs a token typed in this session: a remembered browser or a rescue never counts.
    const fresh = maxAge === undefined || state.isRecentlyVerified(maxAge);
    if (state.isVerified() && fresh) return next();
    if (!state.isVerified() && ifConfigured && state.userId !== null && !(await otp.userHasDevice(state.userId))) return next();
    if (answersJson(req)) {
      if (state.userId === null) return sendError(res, state.t, 'unauthenticated');
      return sendError(res, state.t, state.isVerified() ? 'recent_verification_required' : 'verification_required');
    }
    redirect(req, res, loginUrl!);
  };
  return async (req, res, next) => {
    try {
      await guard(req, res, next);
    } catch (error) {
      // The device or policy reads could not be answered: refused, never let through.
      if (!isStorageFailure(error)) throw error;
      answerStorageUnavailable(req, res, req.otp);
    }
  };
}

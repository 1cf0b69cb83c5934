import type { Router } from 'express';
import type { SignInFinishOutcome, SignInLike, SignInStartOutcome } from '@otpkit/core';
import { keepLinkBrowser, linkBrowserFor } from '../internal/ceremony-binding.js';
import { eventMeta } from '../internal/event-meta.js';
import { ApiError } from './api-error.js';
import { parseBody } from './api-request.js';
import { signInFinishBody, signInLinkBody, signInStartBody } from './schemas.js';
import type { SignInCompletion } from './sign-in-completion.js';

type Refused = Exclude<SignInStartOutcome | SignInFinishOutcome, { ok: true }>;

/** The API error of a refused sign-in: `signin_invalid`, or a 429 (`throttled`: wrong codes for the address; `signin_rate_limited`: sends or attempts) with `retryAfter`. */
function refusal(outcome: Refused, now: number): ApiError {
  if (outcome.reason === 'invalid_token') return new ApiError('signin_invalid');
  const retryAfter = Math.max(1, Math.ceil((outcome.retryAt - now) / 1000));
  return new ApiError(outcome.reason === 'throttled' ? 'throttled' : 'signin_rate_limited', { details: { retryAfter } });
}

/**
 * `POST /signin/start` (`{ phone }` or `{ email }`: a code, if someone signs in with the address)
 * and `POST /signin/finish` (`{ phone | email, code }`: signs in as `completion` says), and with
 * magic links `POST /signin/link` (`{ email }`: a link bound to this browser by a session-free
 * cookie). A start answers 202 with the same `{ validUntil }` whoever the address belongs to;
 * every wrong, expired or spent code and every unknown address answers 400 `signin_invalid`.
 */
export function signInRoutes(router: Router, signIn: SignInLike, completion: SignInCompletion): void {
  router.post('/signin/start', async (req, res) => {
    const outcome = await signIn.start(parseBody(signInStartBody, req), { ...eventMeta(req), locale: req.otp.locale });
    if (!outcome.ok) throw refusal(outcome, signIn.clock());
    res.status(202).json({ validUntil: outcome.validUntil });
  });

  router.post('/signin/finish', async (req, res) => {
    const outcome = await signIn.finish(parseBody(signInFinishBody, req), eventMeta(req));
    if (!outcome.ok) throw refusal(outcome, signIn.clock());
    const { userId, method, registered } = outcome;
    await completion.answer(req, res, outcome, { userId, method, registered });
  });

  if (!signIn.links) return;
  router.post('/signin/link', async (req, res) => {
    const { email } = parseBody(signInLinkBody, req);
    const browser = linkBrowserFor(req);
    const outcome = await signIn.startLink({ email }, { ...eventMeta(req), locale: req.otp.locale, browser });
    if (!outcome.ok) throw refusal(outcome, signIn.clock());
    keepLinkBrowser(req, res, browser, outcome.validUntil - signIn.clock());
    res.status(202).json({ validUntil: outcome.validUntil });
  });
}

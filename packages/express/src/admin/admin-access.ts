import type { Request, RequestHandler } from 'express';
import { ConfigurationError, isPrintableText, type EventMeta } from '@otpkit/core';
import { eventMeta } from '../internal/event-meta.js';
import { refuse } from './admin-refusals.js';
import type { ResolvedAdminOptions } from './admin-options.js';

/** The longest administrator id an event's `actor` keeps. */
const MAX_ACTOR_LENGTH = 64;

const administrators = new WeakMap<Request, string>();

/** The administrator's id `authorize` returned, checked: a printable string of 1 to 64 characters, or `null`. @throws ConfigurationError for anything else. */
function checkedActor(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && value.length > 0 && value.length <= MAX_ACTOR_LENGTH && isPrintableText(value)) return value;
  throw new ConfigurationError(
    `otpAdminRouter: authorize must return the administrator's id (a printable string of 1 to ${MAX_ACTOR_LENGTH} characters, e.g. String(user.id)) or null; it returned ${typeof value === 'string' ? `a string of ${value.length} characters` : typeof value}`,
  );
}

/** The verification page, coming back to this page (a form's target is not a page: back to the search). */
function verifyLink(verifyUrl: string, req: Request): string {
  const target = new URL(verifyUrl, 'http://otpkit.invalid');
  target.searchParams.set('next', req.method === 'GET' ? req.originalUrl : `${req.baseUrl}/`);
  return `${target.pathname}${target.search}`;
}

/**
 * The admin pages' first check, on every route: `authorize` names the administrator (else 403
 * `admin_forbidden`), who must have verified this session with a token or a passkey, recently
 * enough for `maxAge` (else 403 `verification_required` or `recent_verification_required`).
 */
export function adminAccess(options: ResolvedAdminOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      if (req.baseUrl === '') throw new ConfigurationError("otpAdminRouter must be mounted at a path of its own: app.use('/admin/2fa', otpAdminRouter(otp, { authorize }))");
      const administrator = checkedActor(await options.authorize(req));
      if (administrator === null) return refuse(req, res, 'admin_forbidden');
      if (options.requireVerification && !req.otp.isRecentlyVerified(options.maxAge)) {
        const refusal = req.otp.isRecentlyVerified(Infinity) ? 'recent_verification_required' : 'verification_required';
        return refuse(req, res, refusal, options.verifyUrl === null ? null : { href: verifyLink(options.verifyUrl, req), text: req.otp.t('admin.verify.link') });
      }
      administrators.set(req, administrator);
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Who asks, for an admin action's event: the client, `via: 'admin'` and the administrator as `actor`. */
export function adminMeta(req: Request): EventMeta {
  const actor = administrators.get(req);
  if (actor === undefined) throw new Error('unreachable: an admin route ran before adminAccess');
  return { ...eventMeta(req), actor };
}

import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { constantTimeEqual } from '@otpkit/core';
import { anonymousFormCsrf } from '@otpkit/express';

declare module 'express-session' {
  interface SessionData {
    /** The synchroniser token of the demo's forms for a signed-in user; dropped at login. */
    demoCsrf?: string;
    /** The TOTP device this session is enrolling: only this session is shown its key. */
    demoPendingTotp?: string;
  }
}

const anonymous = anonymousFormCsrf();

/**
 * The CSRF token for a form on this page: a signed-in user's token lives in the session (created on
 * first use); an anonymous visitor's is a double-submit cookie, so anonymous pages create no session.
 */
export function csrfToken(req: Request, res: Response): string {
  if (!req.otp.isAuthenticated()) return anonymous.token(req, res);
  req.session.demoCsrf ??= randomBytes(24).toString('base64url');
  return req.session.demoCsrf;
}

/** Forgets the session's token, so one from before a login is refused after it. */
export function rotateCsrf(req: Request): void {
  delete req.session.demoCsrf;
}

/** Refuses a POST whose `_csrf` field is not the visitor's token (an `EBADCSRFTOKEN` error: 403). */
export const requireCsrf: RequestHandler = (req, res, next) => {
  if (!req.otp.isAuthenticated()) return anonymous.protect(req, res, next);
  const sent = req.body?._csrf;
  const expected = req.session.demoCsrf;
  if (expected !== undefined && typeof sent === 'string' && constantTimeEqual(sent, expected)) return next();
  next(Object.assign(new Error('invalid csrf token'), { code: 'EBADCSRFTOKEN', status: 403 }));
};

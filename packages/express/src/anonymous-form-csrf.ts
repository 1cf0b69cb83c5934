import type { Request, RequestHandler, Response } from 'express';
import { RandomValueCookie } from './internal/random-value-cookie.js';

/** A session-free CSRF token for forms shown to anonymous visitors (sign-in, registration). */
export interface AnonymousFormCsrf {
  /** The value for the form's hidden `_csrf` field; sets the browser's cookie when it has none. */
  token(req: Request, res: Response): string;
  /** Passes a request whose `_csrf` form field equals the cookie; else fails with an error whose `code` is `EBADCSRFTOKEN` and `status` 403. */
  readonly protect: RequestHandler;
}

/** `__Host-` (HTTPS only) pins the cookie to this host: a sibling subdomain cannot plant one. */
const formCookie = new RandomValueCookie({ name: 'otpkit-form', httpOnly: true, sameSite: 'strict', secure: (req) => req.secure });

/**
 * CSRF protection that stores nothing on the server, so anonymous page views create no session:
 * a double-submit cookie (32 random bytes, `HttpOnly`, `SameSite=Strict`, `__Host-` over HTTPS)
 * whose value the form repeats. A cross-site form post never carries a `SameSite=Strict` cookie,
 * and a page on another origin can neither read the cookie nor the form. Signing the value would add
 * nothing: with no session to bind to, an attacker could fetch a valid signed pair as easily.
 * Use it for forms before login only; authenticated forms keep a token in the session.
 */
export function anonymousFormCsrf(): AnonymousFormCsrf {
  return {
    token: (req, res) => formCookie.current(req) ?? formCookie.set(req, res),
    protect(req, _res, next) {
      if (formCookie.matches(req, req.body?._csrf)) return next();
      next(Object.assign(new Error('invalid csrf token'), { code: 'EBADCSRFTOKEN', status: 403 }));
    },
  };
}

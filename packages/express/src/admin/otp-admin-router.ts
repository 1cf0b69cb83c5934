import express, { type Router } from 'express';
import { csrfSync } from 'csrf-sync';
import type { Otp } from '@otpkit/core';
import { contextOf } from '../internal/context.js';
import { servedBy } from '../internal/event-meta.js';
import { PAGE_CSP } from '../views/layout.js';
import { adminAccess } from './admin-access.js';
import { adminActions } from './admin-actions.js';
import { resolveAdminOptions, type OtpAdminRouterOptions } from './admin-options.js';
import { adminPages, type ViewOf } from './admin-pages.js';
import { adminRefusals, refuse } from './admin-refusals.js';

const FORM_LIMIT = '16kb';

/**
 * The admin pages, server-rendered like the login views (no script, CSRF-protected forms, labelled
 * tables, `Cache-Control: no-store`), for helping a user who is locked out: `GET /` finds a user by
 * username, email address or id; `GET /users/:userId` lists their devices, remembered browsers,
 * token sessions (with `tokenSessions`) and audit events; its forms clear the failed attempts,
 * remove a device, revoke browsers and sessions, and issue a one-time backup code (shown once).
 * Every action is a POST that acts with `{ via: 'admin', actor }`, so the audit table records it
 * once with the administrator's id. `authorize` guards every route (403 `admin_forbidden`), and
 * the administrator must have verified the session with a second factor. Mount it at a path of its
 * own, after express-session and otpMiddleware.
 * @throws ConfigurationError for bad options (at start-up).
 */
export function otpAdminRouter(otp: Otp, options: OtpAdminRouterOptions): Router {
  const resolved = resolveAdminOptions(options);
  const { csrfSynchronisedProtection: csrf, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
  });
  const viewOf: ViewOf = (req) => ({ t: req.otp.t, locale: req.otp.locale, base: req.baseUrl, csrfToken: generateToken(req) });
  const router = express.Router();
  router.use(servedBy('admin'));
  router.use((req, res, next) => {
    contextOf(req, otp);
    res.set({ 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin' });
    next();
  });
  router.use(adminAccess(resolved));
  router.use(express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 10 }));
  router.use(csrf);
  adminPages(router, otp, resolved, viewOf);
  adminActions(router, otp, resolved, viewOf);
  router.use((req, res) => refuse(req, res, 'not_found'));
  router.use(adminRefusals);
  return router;
}

import type { Request, Router } from 'express';
import { ConfigurationError, type Otp } from '@otpkit/core';
import { summarizeDevice } from '../internal/device-summary.js';
import { rowId } from './admin-input.js';
import { refuse, userLink } from './admin-refusals.js';
import type { ResolvedAdminOptions } from './admin-options.js';
import { takeNotice } from './admin-notice.js';
import { findUsers, userOfPath } from './user-search.js';
import { userPath, type AdminView } from './views/admin-parts.js';
import type { AuditPage } from './views/audit-section.js';
import type { AdminDeviceRow } from './views/device-section.js';
import { searchPage } from './views/search-page.js';
import { userPage } from './views/user-page.js';

/** How many audit events a page shows. */
const EVENTS_PER_PAGE = 50;

/** The pages' shared context for a request: its messages, the mount path and the form token. */
export type ViewOf = (req: Request) => AdminView;

/** The user's devices with their own throttle state. */
async function deviceRows(otp: Otp, userId: string): Promise<AdminDeviceRow[]> {
  const now = otp.clock();
  return (await otp.devicesForUser(userId)).map((device) => {
    const allowance = device.verifyIsAllowed(now);
    return { ...summarizeDevice(device), failures: device.throttlingFailureCount, lockedUntil: allowance.allowed ? null : allowance.lockedUntil };
  });
}

/** A page of the user's audit events, older than `before` (a row id) when given; `null` when the audit table is off. */
async function auditPage(otp: Otp, userId: string, before: number | undefined): Promise<AuditPage | null> {
  try {
    const events = await otp.auditEvents(userId, { limit: EVENTS_PER_PAGE + 1, before });
    const shown = events.slice(0, EVENTS_PER_PAGE);
    return { events: shown, older: events.length > EVENTS_PER_PAGE ? shown.at(-1)!.id : null };
  } catch (error) {
    if (error instanceof ConfigurationError) return null;
    throw error;
  }
}

/** `GET /` (find a user: `?q=` a username, email address or id) and `GET /users/:userId` (the user's page; `?before=` pages the events). */
export function adminPages(router: Router, otp: Otp, options: ResolvedAdminOptions, viewOf: ViewOf): void {
  const backupCodes = otp.plugins.some((plugin) => plugin.bootstrapCode !== undefined);

  router.get('/', async (req, res) => {
    const query = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    const view = viewOf(req);
    if (query === '') return void res.type('html').send(searchPage(view, { query, outcome: 'none', matches: [] }));
    const matches = await findUsers(otp, query);
    if (matches.length === 1) return res.redirect(303, userPath(view, matches[0]!.id));
    res
      .status(matches.length === 0 ? 404 : 200)
      .type('html')
      .send(searchPage(view, { query, outcome: matches.length === 0 ? 'no-match' : 'several', matches }));
  });

  router.get('/users/:userId', async (req, res) => {
    const user = await userOfPath(otp, req);
    if (user === null) return refuse(req, res, 'user_not_found');
    const before = req.query.before === undefined ? undefined : rowId(req.query.before);
    if (before === null) return refuse(req, res, 'invalid_request', userLink(req, user));
    const [devices, browsers, sessions, audit] = await Promise.all([
      deviceRows(otp, user.id),
      otp.browsers.list(user.id),
      options.tokenSessions?.listSessions(user.id) ?? null,
      auditPage(otp, user.id, before),
    ]);
    const notice = takeNotice(req, user.id);
    res.type('html').send(userPage(viewOf(req), { user, notice, devices, backupCodes, browsers, sessions, audit }));
  });
}

import type { Request, Router } from 'express';
import type { EventMeta, MessageKey, MessageParams, Otp, UserRecord } from '@otpkit/core';
import { adminMeta } from './admin-access.js';
import { formText, rowId } from './admin-input.js';
import { setNotice } from './admin-notice.js';
import type { ResolvedAdminOptions } from './admin-options.js';
import type { ViewOf } from './admin-pages.js';
import { refuse, userLink, type AdminRefusal } from './admin-refusals.js';
import { userOfPath } from './user-search.js';
import { userPath } from './views/admin-parts.js';
import { backupCodePage } from './views/backup-code-page.js';

/** What an action did (said on the user's page after the redirect), or why it was refused. */
type ActionOutcome = { readonly notice: MessageKey; readonly params?: MessageParams } | { readonly refusal: AdminRefusal };

/** The longest persistent id or session id a form may name. */
const MAX_ID_LENGTH = 128;

/**
 * The admin actions, each a `POST /users/:userId/…` form (CSRF-checked before it runs) that acts
 * with `{ via: 'admin', actor }`, so its event names the administrator, then redirects to the
 * user's page (post/redirect/get); a one-time backup code is the exception, shown in the answer.
 */
export function adminActions(router: Router, otp: Otp, options: ResolvedAdminOptions, viewOf: ViewOf): void {
  const { tokenSessions } = options;

  function action(path: string, run: (req: Request, user: UserRecord, meta: EventMeta) => Promise<ActionOutcome>): void {
    router.post(`/users/:userId${path}`, async (req, res) => {
      const user = await userOfPath(otp, req);
      if (user === null) return refuse(req, res, 'user_not_found');
      const outcome = await run(req, user, adminMeta(req));
      if ('refusal' in outcome) return refuse(req, res, outcome.refusal, userLink(req, user));
      setNotice(req, user.id, outcome.notice, outcome.params);
      res.redirect(303, userPath({ base: req.baseUrl }, user.id));
    });
  }

  action('/throttle/reset', async (_req, user, meta) => ({ notice: (await otp.resetThrottle(user.id, meta)) ? 'admin.notice.throttleReset' : 'admin.notice.throttleClear' }));

  action('/devices/remove', async (req, user, meta) => {
    const persistentId = formText(req.body?.device, MAX_ID_LENGTH);
    if (persistentId === null) return { refusal: 'invalid_request' };
    const device = await otp.deviceFromPersistentId(persistentId);
    if (device === null || device.userId !== user.id || !(await otp.removeDevice(user.id, persistentId, meta))) return { refusal: 'device_not_found' };
    return { notice: 'admin.notice.deviceRemoved', params: { name: device.name } };
  });

  action('/browsers/revoke', async (req, user, meta) => {
    const id = rowId(req.body?.browser);
    if (id === null) return { refusal: 'invalid_request' };
    return (await otp.browsers.forget(user.id, id, meta)) ? { notice: 'admin.notice.browserRevoked' } : { refusal: 'browser_not_found' };
  });

  action('/browsers/revoke-all', async (_req, user, meta) => ({ notice: 'admin.notice.browsersRevoked', params: { count: await otp.browsers.forgetAll(user.id, meta) } }));

  action('/sessions/revoke', async (req, user, meta) => {
    if (tokenSessions === null) return { refusal: 'not_found' };
    const id = formText(req.body?.session, MAX_ID_LENGTH);
    if (id === null) return { refusal: 'invalid_request' };
    return (await tokenSessions.revokeSession(user.id, id, meta)) ? { notice: 'admin.notice.sessionRevoked' } : { refusal: 'session_not_found' };
  });

  action('/sessions/revoke-all', async (_req, user, meta) => {
    if (tokenSessions === null) return { refusal: 'not_found' };
    return { notice: 'admin.notice.sessionsRevoked', params: { count: await tokenSessions.revokeAll(user.id, meta) } };
  });

  // Shown in this answer only (no-store): a redirect would have to keep the code in the session store.
  router.post('/users/:userId/backup-code', async (req, res) => {
    const user = await userOfPath(otp, req);
    if (user === null) return refuse(req, res, 'user_not_found');
    const code = await otp.issueBootstrapCode(user.id, adminMeta(req));
    if (code === null) return refuse(req, res, 'not_found', userLink(req, user));
    res.type('html').send(backupCodePage(viewOf(req), user, code));
  });
}

import type { Request, Router } from 'express';
import type { RememberedBrowser } from '@otpkit/core';
import { eventMeta } from '../internal/event-meta.js';
import { ApiError } from './api-error.js';
import { requireVerified } from './api-request.js';
import type { ApiSetup } from './api-setup.js';

/** A remembered browser as the API lists it: never its token. */
function summarizeBrowser(browser: RememberedBrowser, req: Request) {
  const { id, deviceId, createdAt, lastSeenAt, expiresAt, userAgent } = browser;
  return { id, device: deviceId, createdAt, lastSeenAt, expiresAt, userAgent, current: req.session.otpkit?.browser === id };
}

/** `GET /browsers`, `DELETE /browsers/:id`, `DELETE /browsers`: the user's remembered browsers, for a verified session. */
export function browserRoutes(router: Router, { otp }: ApiSetup): void {
  router.get('/browsers', async (req, res) => {
    const browsers = await otp.browsers.list(requireVerified(req));
    res.json({ browsers: browsers.map((browser) => summarizeBrowser(browser, req)) });
  });

  router.delete('/browsers/:id', async (req, res) => {
    const userId = requireVerified(req);
    const id = /^[1-9][0-9]{0,14}$/.test(String(req.params.id)) ? Number(req.params.id) : NaN;
    if (!(await otp.browsers.forget(userId, id, eventMeta(req)))) throw new ApiError('not_found');
    res.status(204).end();
  });

  router.delete('/browsers', async (req, res) => {
    await otp.browsers.forgetAll(requireVerified(req), eventMeta(req));
    res.status(204).end();
  });
}

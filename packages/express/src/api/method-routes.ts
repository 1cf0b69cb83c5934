import type { Router } from 'express';
import { chosenDevice } from '../forms/clean-otp.js';
import { eventMeta } from '../internal/event-meta.js';
import { signInMethods } from '../internal/sign-in-methods.js';
import { methodLabel } from '../views/method-label.js';
import { ApiError } from './api-error.js';
import { parseBody, requireUser, requireVerified } from './api-request.js';
import type { ApiSetup } from './api-setup.js';
import { preferredDeviceBody } from './schemas.js';

/**
 * `GET /methods` (the ways the user can verify, the default first, for an authenticated user about
 * to verify) and `PUT /preferred-device` (the device asked for first, for a verified session).
 */
export function methodRoutes(router: Router, { otp, plugin }: ApiSetup): void {
  const answeredInBrowser = (type: string) => plugin(type)?.browserScript !== undefined;

  router.get('/methods', async (req, res) => {
    const methods = await signInMethods(otp, requireUser(req), answeredInBrowser);
    res.json({
      methods: methods.map((method) => ({
        id: method.id,
        type: method.type,
        kind: method.kind,
        name: method.name,
        label: methodLabel(method, req.otp.t),
        destination: method.destination,
        interactive: method.interactive,
        browser: method.browser,
      })),
      preferred: methods.find((method) => method.preferred)?.id ?? null,
    });
  });

  // Not a change to the account's factors (every method could be chosen at sign-in anyway), so a
  // verified session suffices; a password alone never changes a setting of the account.
  router.put('/preferred-device', async (req, res) => {
    const userId = requireVerified(req);
    const { device } = parseBody(preferredDeviceBody, req);
    if (device !== null && (await chosenDevice(otp, userId, device)) === null) throw new ApiError('device_not_found');
    await otp.userSettings.setPreferredDevice(userId, device, eventMeta(req));
    res.json({ preferred: device });
  });
}

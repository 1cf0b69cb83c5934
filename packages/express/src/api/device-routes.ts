import type { Router } from 'express';
import { servesUse } from '@otpkit/core';
import { boundToken } from '../internal/ceremony-binding.js';
import { eventMeta } from '../internal/event-meta.js';
import { summarizeDevice } from '../internal/device-summary.js';
import { ApiError } from './api-error.js';
import { ownDevice, parseBody, requireFactorChange, requireRecentVerification, requireUser, routeDeviceId, verifiedDevice } from './api-request.js';
import type { ApiSetup } from './api-setup.js';
import { tokenBody } from './schemas.js';

/** `GET /devices` (every device, with its purpose), `POST /devices/:type/:id/confirm`, `DELETE /devices/:type/:id`. */
export function deviceRoutes(router: Router, { otp }: ApiSetup): void {
  router.get('/devices', async (req, res) => {
    // A listing to display: it may read a replica (createOtp's readKnex).
    const devices = await otp.devicesForUser(requireUser(req), { replica: true });
    res.json({ devices: devices.map(summarizeDevice) });
  });

  router.post('/devices/:type/:id/confirm', async (req, res) => {
    // Only a first device verifies the session, and only one that serves as a second factor; with
    // another confirmed device, confirming is a change to the account's factors and needs a recent
    // verification (abandoned enrolments).
    const userId = await requireFactorChange(otp, req);
    const first = !req.otp.isVerified();
    const { token } = parseBody(tokenBody, req);
    const device = await ownDevice(otp, userId, routeDeviceId(req));
    if (device.confirmed) throw new ApiError('already_confirmed');
    const bound = boundToken(req, otp, token, device.deviceType);
    const confirmed = verifiedDevice(otp, await otp.confirmDevice(userId, device.persistentId, bound, eventMeta(req)));
    if (first && servesUse(confirmed.purpose, 'second-factor')) await req.otp.login(confirmed);
    res.json({ device: summarizeDevice(confirmed) });
  });

  router.delete('/devices/:type/:id', async (req, res) => {
    const userId = requireRecentVerification(req);
    const persistentId = routeDeviceId(req);
    if (!(await otp.removeDevice(userId, persistentId, eventMeta(req)))) throw new ApiError('device_not_found');
    if (req.otp.device?.persistentId === persistentId) req.otp.logout();
    res.status(204).end();
  });
}

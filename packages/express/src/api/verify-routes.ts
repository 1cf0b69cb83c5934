import type { Router } from 'express';
import type { Device } from '@otpkit/core';
import { emitEvent } from '../internal/context.js';
import { summarizeDevice } from '../internal/device-summary.js';
import { ApiError } from './api-error.js';
import { ownDevice, parseBody, requireUser, verifiedDevice } from './api-request.js';
import type { ApiSetup } from './api-setup.js';
import { challengeBody, tokenBody, validateBody } from './schemas.js';
import { sendChallenge } from './send-challenge.js';

/** `POST /challenge`, `POST /validate`, `POST /rescue`, `POST /rescue/verify`. */
export function verifyRoutes(router: Router, { otp, options, has }: ApiSetup): void {
  router.post('/challenge', async (req, res) => {
    const userId = requireUser(req);
    const { device: persistentId } = parseBody(challengeBody, req);
    const device = await ownDevice(otp, userId, persistentId);
    if (!device.confirmed) throw new ApiError('device_not_found');
    res.json(await sendChallenge(otp, req, userId, device));
  });

  router.post('/validate', async (req, res) => {
    const userId = requireUser(req);
    const { token, device: persistentId, remember } = parseBody(validateBody, req);
    const outcome = persistentId === undefined ? await otp.match(userId, token) : await otp.verify(userId, persistentId, token);
    const device = await verifiedDevice(otp, req, userId, persistentId ?? null, outcome);
    await req.otp.login(device);
    const remembered = remember === true && req.otp.canRemember();
    if (remembered) req.otp.remember();
    res.json({ verified: true, device: summarizeDevice(device), verifiedAt: req.otp.verifiedAt, remembered });
  });

  router.post('/rescue', async (req, res) => {
    const userId = requireUser(req);
    if (!has('email')) throw new ApiError('no_rescue_address');
    const devices = await otp.devicesForUser(userId);
    let device: Device | undefined = devices.find((d) => d.confirmed && d.persistentId.startsWith('email/'));
    if (device === undefined) {
      const user = await otp.users.findById(userId);
      if (user?.email == null || user.email === '') throw new ApiError('no_rescue_address');
      device =
        devices.find((d) => !d.confirmed && d.persistentId.startsWith('email/') && d.name === options.rescueDeviceName) ??
        (await otp.createDevice(`email`, userId, { name: options.rescueDeviceName, confirmed: false }));
    }
    const sent = await sendChallenge(otp, req, userId, device);
    req.session.otpkitRescue = device.persistentId;
    res.status(202).json({ device: summarizeDevice(device), ...sent });
  });

  router.post('/rescue/verify', async (req, res) => {
    const userId = requireUser(req);
    const { token } = parseBody(tokenBody, req);
    const persistentId = req.session.otpkitRescue;
    if (persistentId === undefined) throw new ApiError('device_not_found');
    const wasConfirmed = (await ownDevice(otp, userId, persistentId)).confirmed;
    const device = await verifiedDevice(otp, req, userId, persistentId, await otp.confirmDevice(userId, persistentId, token));
    delete req.session.otpkitRescue;
    if (!wasConfirmed) await emitEvent(req, 'deviceAdded', { userId, deviceId: device.persistentId });
    await req.otp.login(device);
    res.json({ verified: true, device: summarizeDevice(device), verifiedAt: req.otp.verifiedAt, remembered: false });
  });
}

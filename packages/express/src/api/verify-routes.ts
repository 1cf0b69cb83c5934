import type { Router } from 'express';
import { parsePersistentId, servesUse } from '@otpkit/core';
import { boundToken } from '../internal/ceremony-binding.js';
import { backupCodesRemaining } from '../internal/backup-codes.js';
import { summarizeDevice } from '../internal/device-summary.js';
import { eventMeta } from '../internal/event-meta.js';
import { ApiError } from './api-error.js';
import { ownDevice, parseBody, requireUser, verifiedDevice } from './api-request.js';
import type { ApiSetup } from './api-setup.js';
import { challengeBody, validateBody } from './schemas.js';
import { sendChallenge } from './send-challenge.js';

/**
 * `POST /challenge`, `POST /validate`: the second step, with second-factor devices only (a `login`-only
 * device is `device_not_found`); a backup code's answer says how many remain (`backupCodesRemaining`).
 */
export function verifyRoutes(router: Router, { otp }: ApiSetup): void {
  router.post('/challenge', async (req, res) => {
    const userId = requireUser(req);
    const { device: persistentId } = parseBody(challengeBody, req);
    const device = await ownDevice(otp, userId, persistentId);
    if (!device.confirmed || !servesUse(device.purpose, 'second-factor')) throw new ApiError('device_not_found');
    res.json(await sendChallenge(otp, req, userId, device));
  });

  router.post('/validate', async (req, res) => {
    const userId = requireUser(req);
    const { token, device: persistentId, remember } = parseBody(validateBody, req);
    const meta = eventMeta(req);
    const outcome =
      persistentId === undefined
        ? await otp.match(userId, boundToken(req, otp, token, null), meta)
        : await otp.verify(userId, persistentId, boundToken(req, otp, token, parsePersistentId(persistentId)?.type ?? null), meta);
    const device = verifiedDevice(otp, outcome);
    await req.otp.login(device);
    const remembered = remember === true && req.otp.canRemember();
    if (remembered) await req.otp.remember();
    const remaining = await backupCodesRemaining(device);
    res.json({ verified: true, device: summarizeDevice(device), verifiedAt: req.otp.verifiedAt, remembered, ...(remaining === null ? {} : { backupCodesRemaining: remaining }) });
  });
}

import type { Request, Router } from 'express';
import { DeliveryError, type Device, type Otp } from '@otpkit/core';
import { retryAfterSeconds } from '../http-errors.js';
import { contextOf } from '../internal/context.js';
import { eventMeta } from '../internal/event-meta.js';
import { requestInfo } from '../internal/request-info.js';
import { summarizeDevice } from '../internal/device-summary.js';
import { ApiError } from './api-error.js';
import { ownDevice, parseBody, requireUser, verifiedDevice } from './api-request.js';
import type { ApiSetup } from './api-setup.js';
import type { RescueEmailOptions, RescueHelpOptions } from './rescue-options.js';
import { tokenBody } from './schemas.js';
import { sendChallenge } from './send-challenge.js';

/** What an email device offers rescue (`@otpkit/email`): the address it confirmed, and a notice mailed there. */
interface NoticeCapability {
  confirmedAddress(): string | null;
  notice(subject: string, text: string): Promise<void>;
}

type RescueChannel = Device & NoticeCapability;

function isRescueChannel(device: Device): device is RescueChannel {
  const candidate = device as unknown as Partial<NoticeCapability>;
  return typeof candidate.confirmedAddress === 'function' && typeof candidate.notice === 'function' && candidate.confirmedAddress() !== null;
}

/**
 * The user's first confirmed device that mails to an address it confirmed itself (an email device
 * with its own address); never `users.email`, never a new device.
 */
async function rescueChannel(otp: Otp, userId: string): Promise<RescueChannel> {
  const channel = (await otp.devicesForUser(userId, { confirmed: true })).find(isRescueChannel);
  if (channel === undefined) throw new ApiError('no_rescue_address');
  return channel;
}

/** Mails the rescue notice; a failure is logged, since the verification has already happened. */
async function sendNotice(req: Request, device: RescueChannel, options: Required<RescueEmailOptions>): Promise<void> {
  try {
    await device.notice(options.noticeSubject, options.noticeText);
  } catch {
    contextOf(req).logger.warn(`two-factor API: the rescue notice to ${device.persistentId} could not be sent`);
  }
}

function emailRescue(router: Router, otp: Otp, options: Required<RescueEmailOptions>): void {
  router.post('/rescue', async (req, res) => {
    const userId = requireUser(req);
    const device = await rescueChannel(otp, userId);
    const sent = await sendChallenge(otp, req, userId, device);
    req.session.otpkitRescue = device.persistentId;
    res.status(202).json({ mode: 'email', device: summarizeDevice(device), ...sent });
  });

  router.post('/rescue/verify', async (req, res) => {
    const userId = requireUser(req);
    const { token } = parseBody(tokenBody, req);
    const persistentId = req.session.otpkitRescue;
    if (persistentId === undefined) throw new ApiError('device_not_found');
    const device = await ownDevice(otp, userId, persistentId);
    if (!device.confirmed || !isRescueChannel(device)) throw new ApiError('device_not_found');
    const meta = eventMeta(req);
    const verified = verifiedDevice(otp, await otp.verify(userId, persistentId, token, meta));
    delete req.session.otpkitRescue;
    await req.otp.login(verified, 'rescue');
    await otp.recordEvent({ type: 'rescueUsed', userId, deviceId: persistentId, rescueMode: 'email' }, meta);
    await sendNotice(req, device, options);
    res.json({ verified: true, device: summarizeDevice(verified), verifiedAt: req.otp.verifiedAt, remembered: false });
  });
}

function helpRescue(router: Router, otp: Otp, options: RescueHelpOptions): void {
  router.post('/rescue', async (req, res) => {
    const userId = requireUser(req);
    // Each request mails or pages someone: it counts against the user's daily send limit.
    const counted = await otp.countUserSend(userId);
    if (!counted.ok) throw new ApiError('daily_limit', { retryAfter: retryAfterSeconds(counted.retryAt, otp.clock) });
    try {
      await options.notifyAdmins({ userId, ...requestInfo(req), at: otp.clock() });
    } catch (error) {
      throw new DeliveryError({ cause: error });
    }
    await otp.recordEvent({ type: 'rescueUsed', userId, deviceId: null, rescueMode: 'help' }, eventMeta(req));
    res.status(202).json({ mode: 'help', message: "The site's administrators were told; they will contact you" });
  });
}

/**
 * `POST /rescue` and `POST /rescue/verify`, by the `rescue` option: off (both answer 404
 * `not_found`), by email (a code to a confirmed address of the user's; the session is verified
 * with method `rescue`, which never counts as recent, and a notice is mailed) or help (the
 * administrators are told; nothing is verified, so `/rescue/verify` is 404).
 */
export function rescueRoutes(router: Router, { otp, options }: ApiSetup): void {
  if (options.rescue === false) return;
  if (options.rescue.mode === 'email') emailRescue(router, otp, options.rescue);
  else helpRescue(router, otp, options.rescue);
}

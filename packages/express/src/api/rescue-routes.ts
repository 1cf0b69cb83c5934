import type { Request, Router } from 'express';
import { DeliveryError, describeRefusal, isRescueChannel, type Device, type Otp, type RescueChannel } from '@otpkit/core';
import { contextOf } from '../internal/context.js';
import { eventMeta } from '../internal/event-meta.js';
import { requestInfo } from '../internal/request-info.js';
import { summarizeDevice } from '../internal/device-summary.js';
import { ApiError } from './api-error.js';
import { ownDevice, parseBody, requireUser, verifiedDevice } from './api-request.js';
import { refusalError } from './refusal-error.js';
import type { ApiSetup } from './api-setup.js';
import type { RescueEmailOptions, RescueHelpOptions } from './rescue-options.js';
import { tokenBody } from './schemas.js';
import { sendChallenge } from './send-challenge.js';

/**
 * The user's first confirmed second-factor device that reaches an address it confirmed itself (a
 * {@link RescueChannel}: an email device with its own address); never `users.email`, never a new
 * device, never a `login`-only one (a rescue verifies the session as a second factor would).
 */
async function rescueChannel(otp: Otp, userId: string): Promise<Device & RescueChannel> {
  const channel = (await otp.devicesForUser(userId, { confirmed: true, purpose: 'second-factor' })).find(isRescueChannel);
  if (channel === undefined) throw new ApiError('no_rescue_address');
  return channel;
}

/**
 * Sends the rescue notice to the rescue address, in the request's locale unless the options give
 * its texts; a failure is logged, since the verification has already happened.
 */
async function sendNotice(req: Request, device: Device & RescueChannel, options: RescueEmailOptions): Promise<void> {
  const { t } = req.otp;
  try {
    await device.notice(options.noticeSubject ?? t('rescue.notice.subject'), options.noticeText ?? t('rescue.notice.text'));
  } catch {
    contextOf(req).logger.warn(`two-factor API: the rescue notice to ${device.persistentId} could not be sent`);
  }
}

function emailRescue(router: Router, otp: Otp, options: RescueEmailOptions): void {
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
    if (!counted.ok) throw refusalError(describeRefusal(counted, otp.clock()));
    try {
      await options.notifyAdmins({ userId, ...requestInfo(req), at: otp.clock() });
    } catch (error) {
      throw new DeliveryError(undefined, { cause: error });
    }
    await otp.recordEvent({ type: 'rescueUsed', userId, deviceId: null, rescueMode: 'help' }, eventMeta(req));
    res.status(202).json({ mode: 'help', message: req.otp.t('rescue.helpSent') });
  });
}

/** Answers 404 `rescue_unavailable`: this kind of rescue is not offered here. */
function unavailable(): never {
  throw new ApiError('rescue_unavailable');
}

/**
 * `POST /rescue` and `POST /rescue/verify`, by the `rescue` option: off (both answer 404
 * `rescue_unavailable`), by email (a code to a confirmed address of the user's; the session is verified
 * with method `rescue`, which never counts as recent, and a notice is mailed) or help (the
 * administrators are told; nothing is verified, so `/rescue/verify` is 404 `rescue_unavailable`).
 */
export function rescueRoutes(router: Router, { otp, options }: ApiSetup): void {
  const { rescue } = options;
  if (rescue === false) router.post('/rescue', unavailable);
  else if (rescue.mode === 'email') return emailRescue(router, otp, rescue);
  else helpRescue(router, otp, rescue);
  router.post('/rescue/verify', unavailable);
}

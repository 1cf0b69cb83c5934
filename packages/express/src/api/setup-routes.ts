import type { Request, Response, Router } from 'express';
import { groupForDisplay, type CreateDeviceInput, type Device, type Otp } from '@otpkit/core';
import type { StaticDevice } from '@otpkit/static';
import type { TOTPDevice } from '@otpkit/totp';
import { eventMeta } from '../internal/event-meta.js';
import { summarizeDevice } from '../internal/device-summary.js';
import { ApiError } from './api-error.js';
import { parseBody, requireFactorChange } from './api-request.js';
import type { ApiSetup } from './api-setup.js';
import { backupCodesBody, emailSetupBody, smsSetupBody, totpSetupBody } from './schemas.js';
import { sendChallenge } from './send-challenge.js';

/**
 * A new unconfirmed device of `type` for the user, after removing the user's earlier unconfirmed
 * ones of that type (abandoned enrolments).
 */
async function freshDevice<D extends Device>(otp: Otp, req: Request, userId: string, type: string, input: CreateDeviceInput): Promise<D> {
  const meta = eventMeta(req);
  for (const stale of await otp.devicesForUser(userId, { confirmed: false })) {
    if (stale.persistentId.startsWith(`${type}/`)) await otp.removeDevice(userId, stale.persistentId, meta);
  }
  return otp.createDevice<D>(type, userId, { ...input, confirmed: false }, meta);
}

/** Creates an unconfirmed email or SMS device and sends its first code; a failed delivery removes it again. */
async function sideChannelSetup(otp: Otp, req: Request, res: Response, type: 'email' | 'sms', input: CreateDeviceInput): Promise<void> {
  const userId = await requireFactorChange(otp, req);
  const device = await freshDevice(otp, req, userId, type, input);
  try {
    const sent = await sendChallenge(otp, req, userId, device);
    res.status(201).json({ device: summarizeDevice(device), ...sent });
  } catch (error) {
    await otp.removeDevice(userId, device.persistentId, eventMeta(req));
    throw error;
  }
}

/** `POST /devices/totp`, `POST /devices/email`, `POST /devices/sms`, `POST /backup-codes`: only for configured types. */
export function setupRoutes(router: Router, { otp, has }: ApiSetup): void {
  const configured = (type: string) => (_req: Request, _res: Response, next: (error?: unknown) => void) =>
    next(has(type) ? undefined : new ApiError('not_found'));

  router.post('/devices/totp', configured('totp'), async (req, res) => {
    const { name } = parseBody(totpSetupBody, req);
    const userId = await requireFactorChange(otp, req);
    const device = await freshDevice<TOTPDevice>(otp, req, userId, 'totp', { name });
    const [otpauthUri, qrSvg, qrPng] = await Promise.all([device.keyUri(), device.qrCode('svg'), device.qrCode('png')]);
    res.status(201).json({ device: summarizeDevice(device), otpauthUri, qrSvg, qrPng, secret: groupForDisplay(device.revealKey()) });
  });

  router.post('/devices/email', configured('email'), async (req, res) => {
    const { name, email } = parseBody(emailSetupBody, req);
    // Without an address, the device takes the user's address of this moment, which its first code
    // confirms: a device that followed users.email would mail later codes to wherever the profile's
    // address is changed (often by anyone with the password).
    const address = email ?? (req.otp.userId === null ? undefined : ((await otp.users.findById(req.otp.userId))?.email ?? undefined));
    await sideChannelSetup(otp, req, res, 'email', { name, email: address });
  });

  router.post('/devices/sms', configured('sms'), async (req, res) => {
    const { name, number } = parseBody(smsSetupBody, req);
    await sideChannelSetup(otp, req, res, 'sms', { name, number });
  });

  router.post('/backup-codes', configured('static'), async (req, res) => {
    const { name } = parseBody(backupCodesBody, req);
    const userId = await requireFactorChange(otp, req);
    const meta = eventMeta(req);
    const existing = (await otp.devicesForUser(userId, { confirmed: true })).find((d) => d.persistentId.startsWith('static/'));
    const device = (existing ?? (await otp.createDevice('static', userId, { name, confirmed: true }, meta))) as StaticDevice;
    const codes = await device.regenerateTokens(undefined, meta);
    res.status(201).json({ device: summarizeDevice(device), codes });
  });
}

import type { Request, Response } from 'express';
import type { Device } from '@otpkit/core';
import { OtpRequestState } from '../otp-request-state.js';
import { emitEvent, type MiddlewareContext } from './context.js';
import { readCookie } from './cookies.js';
import { sessionOf } from './session.js';

/**
 * The second-factor state of a request for `userId`: the stored verification if its device is
 * still a confirmed device of that user (else it is dropped), or else a valid remember cookie,
 * which verifies the session and reports `verified` (method `remembered`).
 */
export async function loadOtpState(req: Request, res: Response, context: MiddlewareContext, userId: string | null): Promise<OtpRequestState> {
  const { otp, remember } = context;
  const session = sessionOf(req);
  const stored = session.otpkit;
  if (stored !== undefined) {
    const device: Device | null = userId === null ? null : await otp.deviceFromPersistentId(stored.device);
    if (device !== null && device.confirmed && device.userId === userId && Number.isFinite(stored.verifiedAt)) {
      return new OtpRequestState(req, res, userId, device, stored.verifiedAt, stored.method === 'remembered' ? 'remembered' : 'token');
    }
    delete session.otpkit;
  }
  if (userId !== null && remember !== null) {
    const remembered = await remember.check(otp, readCookie(req, remember.options.cookieName), userId, otp.clock());
    if (remembered !== null) {
      session.otpkit = { device: remembered.device.persistentId, verifiedAt: remembered.issuedAt, method: 'remembered' };
      await emitEvent(req, 'verified', { userId, deviceId: remembered.device.persistentId, method: 'remembered' });
      return new OtpRequestState(req, res, userId, remembered.device, remembered.issuedAt, 'remembered');
    }
  }
  return new OtpRequestState(req, res, userId, null, null);
}

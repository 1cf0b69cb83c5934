import type { Request, Response } from 'express';
import type { Device } from '@otpkit/core';
import { OtpRequestState } from '../otp-request-state.js';
import type { MiddlewareContext } from './context.js';
import { readCookie } from './cookies.js';
import { eventMeta } from './event-meta.js';
import { sessionOf } from './session.js';

/**
 * The second-factor state of a request for `userId`: the stored verification if its device is
 * still a confirmed device of that user and, for a remembered browser, the browser is still
 * remembered (else it is dropped); or else a valid remember cookie, which verifies the session and
 * reports `verified` (method `remembered`) through `otp.recordEvent`.
 */
export async function loadOtpState(req: Request, res: Response, context: MiddlewareContext, userId: string | null): Promise<OtpRequestState> {
  const { otp, remember } = context;
  const session = sessionOf(req);
  const stored = session.otpkit;
  if (stored !== undefined) {
    // On every request: may read a replica (createOtp's readKnex), which falls back to the primary for a device it lacks.
    const device: Device | null = userId === null ? null : await otp.deviceFromPersistentId(stored.device, { replica: true });
    const method = stored.method ?? 'token';
    const current =
      device !== null &&
      device.confirmed &&
      device.userId === userId &&
      Number.isFinite(stored.verifiedAt) &&
      (method !== 'remembered' || (typeof stored.browser === 'number' && (await otp.browsers.isRemembered(userId, stored.browser))));
    if (current) return new OtpRequestState(req, res, userId, device, stored.verifiedAt, method, stored.uv === true);
    delete session.otpkit;
  }
  if (userId !== null && remember !== null) {
    const found = await otp.browsers.find(readCookie(req, remember.cookieName));
    if (found !== null && found.browser.userId === userId) {
      const { browser, device } = found;
      session.otpkit = { device: device.persistentId, verifiedAt: browser.createdAt, method: 'remembered', browser: browser.id };
      await otp.recordEvent({ type: 'verified', userId, deviceId: device.persistentId, method: 'remembered', browserId: browser.id }, eventMeta(req));
      return new OtpRequestState(req, res, userId, device, browser.createdAt, 'remembered');
    }
  }
  return new OtpRequestState(req, res, userId, null, null);
}

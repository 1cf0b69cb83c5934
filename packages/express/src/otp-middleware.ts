import type { Request, RequestHandler } from 'express';
import { ConfigurationError, consoleLogger, storedUserId, type Device, type Logger, type Otp, type UserId } from '@otpkit/core';
import type { OtpEventHooks } from './events.js';
import { attachContext, emitEvent, type MiddlewareContext } from './internal/context.js';
import { readCookie } from './internal/cookies.js';
import { sessionOf } from './internal/session.js';
import { OtpRequestState } from './otp-request-state.js';
import { RememberCookie, resolveRememberDevice, type RememberDeviceOptions } from './remember-device.js';
import './augment.js';

/** Options of {@link otpMiddleware}. */
export interface OtpMiddlewareOptions {
  /**
   * The authenticated user's id for a request, or `null`/`undefined` when anonymous.
   * @default (req) => req.session.userId
   */
  readonly getUserId?: (req: Request) => UserId | null | undefined;
  /** "Remember this browser": off unless given. */
  readonly rememberDevice?: RememberDeviceOptions;
  /** Event hooks (verified, failed, throttled, challengeSent, deviceAdded, deviceRemoved). @default {} */
  readonly events?: OtpEventHooks;
  /** Where a failing event hook is reported. @default console.warn */
  readonly logger?: Logger;
}

const HOOK_NAMES = new Set(['verified', 'failed', 'throttled', 'challengeSent', 'deviceAdded', 'deviceRemoved']);

function resolveOptions(otp: Otp, options: OtpMiddlewareOptions): MiddlewareContext & { getUserId: (req: Request) => unknown } {
  if (otp === null || typeof otp !== 'object' || typeof otp.deviceFromPersistentId !== 'function') {
    throw new ConfigurationError('otpMiddleware needs an otp instance (createOtp)');
  }
  const getUserId = options.getUserId ?? ((req: Request) => req.session?.userId);
  if (typeof getUserId !== 'function') throw new ConfigurationError('getUserId must be a function');
  const hooks = options.events ?? {};
  for (const [name, hook] of Object.entries(hooks)) {
    if (!HOOK_NAMES.has(name) || typeof hook !== 'function') throw new ConfigurationError(`events.${name} is not a known event hook`);
  }
  return Object.freeze({
    otp,
    getUserId,
    hooks: Object.freeze({ ...hooks }),
    remember: options.rememberDevice === undefined ? null : new RememberCookie(resolveRememberDevice(options.rememberDevice)),
    logger: options.logger ?? consoleLogger,
  });
}

/**
 * Gives every request `req.otp` (an {@link OtpRequestState}). Install it after express-session.
 * A stored verification whose device is gone, unconfirmed or another user's is dropped; with
 * `rememberDevice`, a valid remember cookie verifies an authenticated session.
 * @throws ConfigurationError for bad options (at start-up).
 */
export function otpMiddleware(otp: Otp, options: OtpMiddlewareOptions = {}): RequestHandler {
  const context = resolveOptions(otp, options);
  return async (req, res, next) => {
    try {
      attachContext(req, context);
      const session = sessionOf(req);
      const rawUserId = context.getUserId(req);
      const userId = rawUserId === null || rawUserId === undefined ? null : storedUserId(rawUserId);
      let device: Device | null = null;
      let verifiedAt: number | null = null;
      const stored = session.otpkit;
      if (stored !== undefined) {
        device = userId === null ? null : await otp.deviceFromPersistentId(stored.device);
        if (device !== null && device.confirmed && device.userId === userId && Number.isFinite(stored.verifiedAt)) {
          verifiedAt = stored.verifiedAt;
        } else {
          device = null;
          delete session.otpkit;
        }
      }
      req.otp = new OtpRequestState(req, res, userId, device, verifiedAt);
      if (device === null && userId !== null && context.remember !== null) {
        const remembered = await context.remember.check(otp, readCookie(req, context.remember.options.cookieName), userId, otp.clock());
        if (remembered !== null) {
          session.otpkit = { device: remembered.device.persistentId, verifiedAt: remembered.issuedAt };
          req.otp = new OtpRequestState(req, res, userId, remembered.device, remembered.issuedAt);
          await emitEvent(req, 'verified', { userId, deviceId: remembered.device.persistentId, method: 'remembered' });
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

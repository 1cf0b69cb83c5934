import type { Request } from 'express';
import { ConfigurationError, consoleLogger, type Logger, type Otp } from '@otpkit/core';
import type { ResolvedPolicy } from '../policy/two-factor-policy.js';
import type { ResolvedRememberDevice } from '../remember-device.js';

/** What otpMiddleware resolved once, shared with the routers through the request. */
export interface MiddlewareContext {
  readonly otp: Otp;
  /** "Remember this browser", or `null` when off. */
  readonly remember: ResolvedRememberDevice | null;
  readonly logger: Logger;
  /** Seconds a token verification counts as recent (`req.otp.isRecentlyVerified()`). */
  readonly recentVerification: number;
  /** The application's session fields that cross a regeneration (otpkit's own always do). */
  readonly sessionKeys: readonly string[];
  /** The locale of a request's messages: one of `otp.messages.locales`. */
  readonly locale: (req: Request) => string;
  /** Who must have two-factor, with the grace period and the satisfying types; `null`: nobody is required. */
  readonly policy: ResolvedPolicy | null;
}

const contexts = new WeakMap<Request, MiddlewareContext>();
/** Why otpkit cannot serve a request (no session), by request. */
const unservable = new WeakMap<Request, ConfigurationError>();

/** Attaches the middleware's context to a request. */
export function attachContext(req: Request, context: MiddlewareContext): void {
  contexts.set(req, context);
}

/**
 * Records that otpkit cannot serve this request, and why: every otpkit handler ({@link contextOf})
 * and any read of `req.otp` then throws `error`, which each router answers in its own format (the
 * JSON API in JSON), while the application's routes that do not use otpkit still work.
 */
export function markUnservable(req: Request, error: ConfigurationError): void {
  unservable.set(req, error);
  Object.defineProperty(req, 'otp', {
    configurable: true,
    get() {
      throw error;
    },
  });
}

/** Where to report a problem with a request: otpMiddleware's logger, even when it could not serve the request; the console before it ran. */
export function loggerOf(req: Request): Logger {
  return contexts.get(req)?.logger ?? consoleLogger;
}

/** Whether otpMiddleware gave this request a state (`req.otp`) it can be served with. */
export function isServable(req: Request): boolean {
  return contexts.has(req) && !unservable.has(req);
}

/** Why otpkit cannot serve this request: otpMiddleware did not run before, or could not (no session). */
export function contextError(req: Request): ConfigurationError {
  return unservable.get(req) ?? new ConfigurationError('otpMiddleware(otp, ...) must be installed before this handler');
}

/**
 * The context otpMiddleware attached, checked to belong to `otp` when given.
 * @throws ConfigurationError when otpMiddleware did not run before the caller, or could not serve
 *   the request (no session: the error names the fix).
 */
export function contextOf(req: Request, otp?: Otp): MiddlewareContext {
  const context = contexts.get(req);
  if (context === undefined || unservable.has(req)) throw contextError(req);
  if (otp !== undefined && context.otp !== otp) {
    throw new ConfigurationError('this router and otpMiddleware were given different otp instances');
  }
  return context;
}

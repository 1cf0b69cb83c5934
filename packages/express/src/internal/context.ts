import type { Request } from 'express';
import { ConfigurationError, type Logger, type Otp } from '@otpkit/core';
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

/** Attaches the middleware's context to a request. */
export function attachContext(req: Request, context: MiddlewareContext): void {
  contexts.set(req, context);
}

/**
 * The context otpMiddleware attached, checked to belong to `otp` when given.
 * @throws ConfigurationError when otpMiddleware did not run before the caller.
 */
export function contextOf(req: Request, otp?: Otp): MiddlewareContext {
  const context = contexts.get(req);
  if (context === undefined) throw new ConfigurationError('otpMiddleware(otp, ...) must be installed before this handler');
  if (otp !== undefined && context.otp !== otp) {
    throw new ConfigurationError('this router and otpMiddleware were given different otp instances');
  }
  return context;
}

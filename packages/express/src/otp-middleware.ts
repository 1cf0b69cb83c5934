import type { Request, RequestHandler } from 'express';
import { checkOptionKeys, ConfigurationError, resolveLogger, storedUserId, type LoggerOption, type Otp, type UserId } from '@otpkit/core';
import { attachContext, markUnservable, type MiddlewareContext } from './internal/context.js';
import { loadOtpState } from './internal/load-state.js';
import { answerStorageUnavailable } from './internal/storage-unavailable.js';
import { isStorageFailure } from './http-errors.js';
import { hasSession, missingSessionError } from './internal/session.js';
import { resolvePolicy, type TwoFactorPolicy } from './policy/two-factor-policy.js';
import { resolveRememberDevice, type RememberDeviceOptions } from './remember-device.js';
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
  /**
   * Where the JSON API and the views report what they could not do (a rescue notice that was not
   * sent, an unexpected error, a missing session): an object with a `warn(message)` method or a
   * function of the message. @default console.warn
   */
  readonly logger?: LoggerOption;
  /**
   * Seconds a token verification counts as recent: changing the account's factors needs one
   * (`req.otp.isRecentlyVerified()`); a remembered browser never counts. @default 300
   */
  readonly recentVerification?: number;
  /**
   * The application's session fields that cross a session regeneration (at login and at
   * verification): the key `getUserId` reads, and whatever else must survive. otpkit's own fields
   * always cross; everything else (a CSRF secret, flash data, anything planted in a fixated
   * session) is dropped. @default ['userId']
   */
  readonly sessionKeys?: readonly string[];
  /**
   * The locale of a request's pages and messages (a tag of `otp.messages.locales`, e.g. from the
   * user's profile; `fr-CA` gives `fr`); `undefined`, or a locale the catalog lacks, falls back to
   * `Accept-Language`.
   * @default (req) => undefined (the browser's Accept-Language decides)
   */
  readonly locale?: (req: Request) => string | undefined;
  /**
   * Who must have two-factor authentication (e.g. by role), with a grace period to enrol and the
   * device types that count: `otpRequired`, the JSON API and the login views enforce it, and
   * `req.otp.policy()` reports it. @default undefined (nobody is required: every user may choose)
   */
  readonly policy?: TwoFactorPolicy;
}

/** Every key of {@link OtpMiddlewareOptions}. */
const OPTION_KEYS: readonly (keyof OtpMiddlewareOptions)[] = ['getUserId', 'rememberDevice', 'logger', 'recentVerification', 'sessionKeys', 'locale', 'policy'];

function resolveOptions(otp: Otp, options: OtpMiddlewareOptions): MiddlewareContext & { getUserId: (req: Request) => unknown } {
  if (otp === null || typeof otp !== 'object' || typeof otp.deviceFromPersistentId !== 'function') {
    throw new ConfigurationError('otpMiddleware needs an otp instance (createOtp)');
  }
  if (options === null || typeof options !== 'object') throw new ConfigurationError('otpMiddleware: options must be an object such as { getUserId }');
  const getUserId = options.getUserId ?? ((req: Request) => req.session?.userId);
  if (typeof getUserId !== 'function') throw new ConfigurationError('getUserId must be a function');
  if (Object.hasOwn(options, 'events')) {
    throw new ConfigurationError(
      'otpMiddleware: events moved to createOtp({ events }), where core reports every change whoever makes it (API, views, CLI, direct calls): move the hooks there',
    );
  }
  checkOptionKeys('otpMiddleware', options, OPTION_KEYS);
  const recentVerification = options.recentVerification ?? 300;
  if (!Number.isFinite(recentVerification) || recentVerification <= 0) {
    throw new ConfigurationError('otpMiddleware: recentVerification must be a positive number of seconds');
  }
  const sessionKeys = options.sessionKeys ?? ['userId'];
  if (!Array.isArray(sessionKeys) || !sessionKeys.every((key) => typeof key === 'string' && key !== '' && key !== 'cookie')) {
    throw new ConfigurationError("otpMiddleware: sessionKeys must list session field names (not 'cookie'), e.g. ['userId']");
  }
  const chooseLocale = options.locale ?? (() => undefined);
  if (typeof chooseLocale !== 'function') throw new ConfigurationError('otpMiddleware: locale must be a function (req) => a locale tag such as "fr", or undefined');
  const locale = (req: Request): string => otp.messages.match(chooseLocale(req)) ?? otp.messages.negotiate(req.get('accept-language'));
  return Object.freeze({
    otp,
    locale,
    recentVerification,
    sessionKeys: Object.freeze([...sessionKeys]),
    getUserId,
    remember: options.rememberDevice === undefined ? null : resolveRememberDevice(options.rememberDevice),
    policy: options.policy === undefined ? null : resolvePolicy(otp, options.policy),
    logger: resolveLogger('otpMiddleware', options.logger),
  });
}

/**
 * Gives every request `req.otp` (an {@link OtpRequestState}). Install it after express-session:
 * without a session, the first request logs the fix, and every otpkit route (and any read of
 * `req.otp`) fails with a `ConfigurationError` saying it, answered by each router in its own
 * format (the JSON API with a JSON 500 `internal`).
 * A stored verification whose device is gone, unconfirmed or another user's is dropped; with
 * `rememberDevice`, a valid remember cookie verifies an authenticated session. When the database
 * cannot be reached (a restart, a failover), it answers 503 `storage_unavailable` with
 * `Retry-After` itself (a page, or JSON to a client that wants it); other errors go to `next`.
 * @throws ConfigurationError for bad options (at start-up).
 */
export function otpMiddleware(otp: Otp, options: OtpMiddlewareOptions = {}): RequestHandler {
  const context = resolveOptions(otp, options);
  let toldMissingSession = false;
  return async (req, res, next) => {
    try {
      attachContext(req, context);
      if (!hasSession(req)) {
        const error = missingSessionError();
        if (!toldMissingSession) context.logger.warn(error.message);
        toldMissingSession = true;
        markUnservable(req, error);
        return next();
      }
      const rawUserId = context.getUserId(req);
      const userId = rawUserId === null || rawUserId === undefined ? null : storedUserId(rawUserId);
      req.otp = await loadOtpState(req, res, context, userId);
      next();
    } catch (error) {
      if (!isStorageFailure(error)) return next(error);
      context.logger.warn('otpMiddleware: ERR_OTP_STORAGE');
      answerStorageUnavailable(req, res, otp.messages.translator(context.locale(req)));
    }
  };
}

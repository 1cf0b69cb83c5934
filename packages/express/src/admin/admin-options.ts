import type { Request } from 'express';
import { checkOptionKeys, ConfigurationError, isTokenSessions, type TokenSessionsLike } from '@otpkit/core';
import { safeNext } from '../internal/safe-next.js';

/** Options of {@link otpAdminRouter}. */
export interface OtpAdminRouterOptions {
  /**
   * Who may use the admin pages: the administrator's id for this request (written as `actor` into
   * every event an admin action causes, so the audit table says who acted: at most 64 printable
   * characters), or `null`/`undefined` for everyone else, who gets 403 `admin_forbidden` on every
   * route. Runs after express-session and otpMiddleware, so it can read `req.session` and `req.otp`.
   */
  readonly authorize: (req: Request) => string | null | undefined | Promise<string | null | undefined>;
  /**
   * The administrator must have verified this session with a second factor, by a token or a passkey
   * (a remembered browser or a rescue does not count), else 403 `verification_required`. Turn it off
   * only when `authorize` already demands that (single sign-on with its own second factor).
   * @default true
   */
  readonly requireVerification?: boolean;
  /**
   * Seconds the administrator's second-factor verification counts for (step-up, like
   * `otpRequired({ maxAge })`); older ones get 403 `recent_verification_required`.
   * @default undefined (no limit)
   */
  readonly maxAge?: number;
  /** The login views' verification page (`'/account/verify'`): the 403 page of an unverified administrator links to it, coming back here after. @default undefined (no link) */
  readonly verifyUrl?: string;
  /** `createTokenSessions(otp, options)` from `@otpkit/tokens`: the user page lists the user's token sessions and ends them. @default undefined (not shown) */
  readonly tokenSessions?: TokenSessionsLike;
}

/** {@link OtpAdminRouterOptions} checked, with their defaults. */
export interface ResolvedAdminOptions {
  readonly authorize: OtpAdminRouterOptions['authorize'];
  readonly requireVerification: boolean;
  readonly maxAge: number;
  readonly verifyUrl: string | null;
  readonly tokenSessions: TokenSessionsLike | null;
}

const OPTION_KEYS: readonly (keyof OtpAdminRouterOptions)[] = ['authorize', 'requireVerification', 'maxAge', 'verifyUrl', 'tokenSessions'];

/**
 * Checks the options at start-up.
 * @throws ConfigurationError naming the fix.
 */
export function resolveAdminOptions(options: OtpAdminRouterOptions): ResolvedAdminOptions {
  if (options === null || typeof options !== 'object') throw new ConfigurationError('otpAdminRouter: options must be an object such as { authorize }');
  checkOptionKeys('otpAdminRouter', options, OPTION_KEYS);
  const { authorize, requireVerification = true, maxAge, verifyUrl, tokenSessions } = options;
  if (typeof authorize !== 'function') {
    throw new ConfigurationError("otpAdminRouter: authorize must be a function (req) => the administrator's id, or null for everyone else");
  }
  if (typeof requireVerification !== 'boolean') throw new ConfigurationError('otpAdminRouter: requireVerification must be true or false');
  if (maxAge !== undefined && (!Number.isFinite(maxAge) || maxAge <= 0)) throw new ConfigurationError('otpAdminRouter: maxAge must be a positive number of seconds');
  if (maxAge !== undefined && !requireVerification) throw new ConfigurationError('otpAdminRouter: maxAge needs requireVerification (remove maxAge, or requireVerification: false)');
  if (verifyUrl !== undefined && (typeof verifyUrl !== 'string' || safeNext(verifyUrl, '') !== verifyUrl)) {
    throw new ConfigurationError('otpAdminRouter: verifyUrl must be a path such as /account/verify');
  }
  if (tokenSessions !== undefined && !isTokenSessions(tokenSessions)) {
    throw new ConfigurationError('otpAdminRouter: tokenSessions must be a TokenSessions from @otpkit/tokens (createTokenSessions(otp, options))');
  }
  return Object.freeze({ authorize, requireVerification, maxAge: maxAge ?? Infinity, verifyUrl: verifyUrl ?? null, tokenSessions: tokenSessions ?? null });
}

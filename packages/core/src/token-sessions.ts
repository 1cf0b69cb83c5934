/**
 * The contract between token sessions (`@otpkit/tokens`) and the layers that serve them
 * (`@otpkit/express`): access-token claims, listed sessions, token pairs and the methods a layer
 * calls. Core declares it so that neither package depends on the other.
 * @module
 */
import type { Clock } from './clock.js';
import type { EventMeta } from './events.js';
import type { UserId } from './user-id.js';

/** The claims of an access token. Times are in seconds since the epoch, as JWTs have them. */
export interface AccessTokenClaims {
  readonly iss: string;
  readonly aud: string;
  /** The user id, as stored. */
  readonly sub: string;
  /** The session id. */
  readonly sid: string;
  /** How the user signed in: `['pwd', 'otp']`, say (RFC 8176 values). */
  readonly amr: readonly string[];
  /** The assurance level of the sign-in: 1 (one factor) or 2 (two). */
  readonly aal: 1 | 2;
  readonly iat: number;
  /** When the user signed in (seconds): the session's start, which refreshes keep (RFC 9470's `max_age` counts from it). */
  readonly auth_time: number;
  readonly exp: number;
  /** The token's own random id. */
  readonly jti: string;
}

/** One signed-in client as listed: never its refresh token or the token's digest. */
export interface TokenSession {
  /** The session id (the access tokens' `sid`). */
  readonly id: string;
  /** The user, as stored. */
  readonly userId: string;
  /** How many times its refresh token has been rotated. */
  readonly generation: number;
  /** Epoch ms: sign-in. */
  readonly createdAt: number;
  /** Epoch ms: the last sign-in or refresh. */
  readonly lastUsedAt: number;
  /** Epoch ms: the end of its absolute lifetime. */
  readonly expiresAt: number;
  /** The `User-Agent` of its last sign-in or refresh, cut to 255 characters, or `null`. */
  readonly userAgent: string | null;
  /** The client address of its last sign-in or refresh, or `null`. */
  readonly ip: string | null;
  /** How the user signed in (the tokens' `amr`). */
  readonly amr: readonly string[];
  /** The assurance level of the sign-in (the tokens' `aal`). */
  readonly aal: 1 | 2;
  /** The persistent id of the device the sign-in was verified with (`totp/3`), or `null`. */
  readonly deviceId: string | null;
}

/** A new access token and refresh token, as a refresh returns them. */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly sessionId: string;
  /** Epoch ms. */
  readonly accessTokenExpiresAt: number;
  /** Epoch ms. */
  readonly refreshTokenExpiresAt: number;
}

/** What a sign-in records on the session it starts. */
export interface TokenIssueOptions {
  /** How the user signed in, written as the `amr` claim: 1 to 8 names (up to 24 letters, digits, - or _) such as `'pwd'`, `'otp'`, `'sms'` (RFC 8176). */
  readonly amr: readonly string[];
  /** The assurance level reached: 1 (one factor) or 2 (two factors). */
  readonly aal: 1 | 2;
  /** The persistent id of the device that verified the sign-in (`totp/3`); revoking the sessions of a removed device ends it. @default null */
  readonly deviceId?: string | null;
  /** The client's address (`req.ip`). @default null */
  readonly ip?: string | null;
  /** The client's `User-Agent`, cut to 255 characters. @default null */
  readonly userAgent?: string | null;
}

/**
 * Token sessions, as `@otpkit/tokens`' `TokenSessions` (`createTokenSessions(otp, options)`)
 * provides them: `@otpkit/express` takes any object of this shape for `tokenRequired` and
 * the token routes of `twoFactorApi`. It must run on the same otp instance (and clock) as
 * otpMiddleware.
 */
export interface TokenSessionsLike {
  /** The clock of the otp instance the sessions run on (epoch ms). */
  readonly clock: Clock;
  /** Starts a session for a user who has just signed in and returns its first pair. @throws ValidationError for a bad user id or sign-in. */
  issue(userId: UserId, options: TokenIssueOptions): Promise<TokenPair>;
  /** Verifies an access token; never throws for bad input. */
  verifyAccessToken(
    jwt: unknown,
    options?: { readonly checkRevoked?: boolean },
  ): Promise<{ readonly ok: true; readonly claims: AccessTokenClaims } | { readonly ok: false; readonly reason: 'invalid' | 'expired' | 'revoked' }>;
  /** Exchanges a refresh token for the next pair; never throws for bad input. */
  refresh(
    refreshToken: unknown,
    meta?: { readonly ip?: string | null; readonly userAgent?: string | null },
  ): Promise<({ readonly ok: true } & TokenPair) | { readonly ok: false; readonly reason: 'invalid' | 'expired' | 'revoked' | 'reused' | 'superseded' }>;
  /** Ends one session; whether a live one was revoked. */
  logout(sessionId: unknown): Promise<boolean>;
  /** Ends the session a refresh token belongs to (a browser that holds only its cookie); whether a live one was revoked; never throws for bad input. */
  logoutWithRefreshToken(refreshToken: unknown): Promise<boolean>;
  /** Ends the user's other sessions; how many (reported as `tokenSessionsRevoked` with `meta` when any). */
  logoutOthers(userId: string, currentSessionId: unknown, meta?: EventMeta): Promise<number>;
  /** The user's live sessions, newest first. */
  listSessions(userId: string): Promise<readonly TokenSession[]>;
  /** Revokes one of the user's own sessions; whether a live one was revoked (reported as `tokenSessionsRevoked` with `meta`). */
  revokeSession(userId: string, sessionId: unknown, meta?: EventMeta): Promise<boolean>;
  /** Revokes every session of the user (an administrator's action); how many (reported as `tokenSessionsRevoked` with `meta` when any). */
  revokeAll(userId: string, meta?: EventMeta): Promise<number>;
}

const METHODS = ['clock', 'issue', 'verifyAccessToken', 'refresh', 'logout', 'logoutWithRefreshToken', 'logoutOthers', 'listSessions', 'revokeSession', 'revokeAll'] as const;

/** Whether `value` has the clock and every method of {@link TokenSessionsLike}. */
export function isTokenSessions(value: unknown): value is TokenSessionsLike {
  return value !== null && typeof value === 'object' && METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}

/** The verified claims of an access token (`req.token` behind {@link tokenRequired}). Times are in seconds since the epoch. */
export interface BearerClaims {
  readonly iss: string;
  readonly aud: string;
  /** The user id, as stored. */
  readonly sub: string;
  /** The token session's id. */
  readonly sid: string;
  /** How the user signed in (RFC 8176 names such as `pwd`, `otp`, `hwk`). */
  readonly amr: readonly string[];
  /** The assurance level of the sign-in: 1 (one factor) or 2 (two). */
  readonly aal: 1 | 2;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
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

/** One signed-in client of the user, as the session list shows it. */
export interface TokenSessionListing {
  readonly id: string;
  /** Epoch ms: the sign-in. */
  readonly createdAt: number;
  /** Epoch ms: the last sign-in or refresh. */
  readonly lastUsedAt: number;
  /** Epoch ms: the end of the session's absolute lifetime. */
  readonly expiresAt: number;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly amr: readonly string[];
  readonly aal: 1 | 2;
  readonly deviceId: string | null;
}

/**
 * Token sessions, as `@otpkit/tokens`' `TokenSessions` (`createTokenSessions(otp, options)`)
 * provides them: `@otpkit/express` takes any object of this shape for {@link tokenRequired} and
 * the token routes of `twoFactorApi`. It must run on the same otp instance (and clock) as
 * otpMiddleware.
 */
export interface TokenSessionsLike {
  /** Verifies an access token; never throws for bad input. */
  verifyAccessToken(
    jwt: unknown,
    options?: { readonly checkRevoked?: boolean },
  ): Promise<{ readonly ok: true; readonly claims: BearerClaims } | { readonly ok: false; readonly reason: 'invalid' | 'expired' | 'revoked' }>;
  /** Exchanges a refresh token for the next pair; never throws for bad input. */
  refresh(
    refreshToken: unknown,
    meta?: { readonly ip?: string | null; readonly userAgent?: string | null },
  ): Promise<({ readonly ok: true } & TokenPair) | { readonly ok: false; readonly reason: 'invalid' | 'expired' | 'revoked' | 'reused' }>;
  /** Ends one session; whether a live one was revoked. */
  logout(sessionId: unknown): Promise<boolean>;
  /** Ends the user's other sessions; how many. */
  logoutOthers(userId: string, currentSessionId: unknown): Promise<number>;
  /** The user's live sessions, newest first. */
  listSessions(userId: string): Promise<readonly TokenSessionListing[]>;
  /** Revokes one of the user's own sessions; whether a live one was revoked. */
  revokeSession(userId: string, sessionId: unknown): Promise<boolean>;
}

const METHODS = ['verifyAccessToken', 'refresh', 'logout', 'logoutOthers', 'listSessions', 'revokeSession'] as const;

/** Whether `value` has every method of {@link TokenSessionsLike}. */
export function isTokenSessions(value: unknown): value is TokenSessionsLike {
  return value !== null && typeof value === 'object' && METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}

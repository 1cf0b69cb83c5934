import type { Request, Response } from 'express';
import { checkOptionKeys, ConfigurationError, isTokenSessions, type TokenPair, type TokenSessionsLike } from '@otpkit/core';
import { TokenCarrier } from './internal/token-carrier.js';

/**
 * Where the refresh token travels: `'body'` (in the JSON, for mobile apps, which keep it in the
 * platform's secure storage), `'cookie'` (only in an `HttpOnly` cookie, for browsers: the page's
 * scripts never see it, and refreshing or signing out with it needs the CSRF token) or `'both'`
 * (in the JSON and the cookie: one API for an app and a browser, or a migration; the browser's
 * scripts then see the refresh token).
 */
export type TokenTransport = 'body' | 'cookie' | 'both';

/** The cookies of the cookie modes. */
export interface TokenCookieOptions {
  /**
   * The cookies' `Secure` flag, with the `__Secure-` (refresh) and `__Host-` (CSRF) name
   * prefixes. Turn it off only for development over plain HTTP. @default true
   */
  readonly secure?: boolean;
  /**
   * The refresh cookie's path: where the token routes are, so the cookie goes to them alone.
   * @default the API's mount path + `/tokens` (`/api/2fa/tokens`); required by {@link tokenSender}
   */
  readonly path?: string;
}

/** How token pairs reach the client (`twoFactorApi`, {@link tokenSender}). */
export interface TokenTransportOptions {
  /** Where the refresh token travels: `'body'`, `'cookie'` or `'both'` (see {@link TokenTransport}). @default 'body' */
  readonly tokenTransport?: TokenTransport;
  /** The cookies of the `'cookie'` and `'both'` modes. @default { secure: true } */
  readonly tokenCookie?: TokenCookieOptions;
}

/** The resolved transport; `path` is `null` where the API's own mount path decides it. */
export interface ResolvedTokenTransport {
  readonly mode: TokenTransport;
  readonly secure: boolean;
  readonly path: string | null;
}

const MODES: readonly TokenTransport[] = ['body', 'cookie', 'both'];
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

/** Validates `tokenTransport` and `tokenCookie` for `owner`. @throws ConfigurationError */
export function resolveTokenTransport(owner: string, options: TokenTransportOptions): ResolvedTokenTransport {
  const { tokenTransport: mode = 'body', tokenCookie = {} } = options;
  if (!MODES.includes(mode)) throw new ConfigurationError(`${owner}: tokenTransport must be 'body', 'cookie' or 'both'`);
  if (tokenCookie === null || typeof tokenCookie !== 'object') throw new ConfigurationError(`${owner}: tokenCookie must be an object such as { secure: false }`);
  checkOptionKeys(`${owner}: tokenCookie`, tokenCookie, ['secure', 'path']);
  const { secure = true, path = null } = tokenCookie;
  if (typeof secure !== 'boolean') throw new ConfigurationError(`${owner}: tokenCookie.secure must be true or false`);
  if (path !== null && (typeof path !== 'string' || !PATH.test(path))) throw new ConfigurationError(`${owner}: tokenCookie.path must be a URL path such as '/api/2fa/tokens'`);
  return Object.freeze({ mode, secure, path });
}

/** Answers a sign-in with a new token pair, as the API's token routes answer a refresh. */
export type TokenSender = (req: Request, res: Response, tokens: TokenPair) => void;

/** Options of {@link tokenSender}: the token sessions and the transport given to `twoFactorApi`. */
export interface TokenSenderOptions extends TokenTransportOptions {
  /** The token sessions the API's token routes refresh (`createTokenSessions(otp, options)`). */
  readonly tokenSessions: TokenSessionsLike;
}

/**
 * For your own sign-in routes (a password and a second factor checked by your code): sends the pair
 * that `tokenSessions.issue` returned the way `twoFactorApi` with the same options does, so that
 * `POST /tokens/refresh` finds the refresh token where it looks. `{ tokenType, accessToken,
 * sessionId, accessTokenExpiresAt, refreshTokenExpiresAt }`, with `refreshToken` unless the mode is
 * `'cookie'`; in the cookie modes also the cookies and `csrfToken`, a fresh CSRF value. Give the
 * cookie modes `tokenCookie.path`, where the API's token routes are (`'/api/2fa/tokens'`).
 * @throws ConfigurationError for bad options (at start-up).
 */
export function tokenSender(options: TokenSenderOptions): TokenSender {
  if (options === null || typeof options !== 'object') throw new ConfigurationError('tokenSender: options must be an object such as { tokenSessions, tokenTransport }');
  checkOptionKeys('tokenSender', options, ['tokenSessions', 'tokenTransport', 'tokenCookie']);
  if (!isTokenSessions(options.tokenSessions)) throw new ConfigurationError('tokenSender: tokenSessions must be a TokenSessions from @otpkit/tokens (createTokenSessions(otp, options))');
  const transport = resolveTokenTransport('tokenSender', options);
  if (transport.mode !== 'body' && transport.path === null) {
    throw new ConfigurationError("tokenSender: give tokenCookie.path, where twoFactorApi's token routes are (such as '/api/2fa/tokens')");
  }
  const carrier = new TokenCarrier(transport, options.tokenSessions.clock);
  return (req, res, tokens) => carrier.send(req, res, tokens, 'fresh');
}

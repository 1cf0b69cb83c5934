import type { Request, Response } from 'express';
import type { Clock, TokenPair } from '@otpkit/core';
import type { ResolvedTokenTransport } from '../token-transport.js';
import { readCookie } from './cookies.js';
import { RandomValueCookie } from './random-value-cookie.js';

/** The header that repeats the CSRF cookie's value. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** Which CSRF value an answer sets: a fresh one (a sign-in), or the request's own while it has one (a refresh). */
export type CsrfRenewal = 'fresh' | 'keep';

/**
 * How token pairs travel for one transport: the JSON answer, and in the cookie modes the
 * refresh token's cookie (`HttpOnly`, `SameSite=Strict`, on the token routes' path) and the
 * readable CSRF cookie that `X-CSRF-Token` must repeat (on `/`, so the page's scripts can read it).
 * Both cookies live as long as the refresh token.
 */
export class TokenCarrier {
  readonly #transport: ResolvedTokenTransport;
  readonly #clock: Clock;
  readonly #csrf: RandomValueCookie;

  constructor(transport: ResolvedTokenTransport, clock: Clock) {
    this.#transport = transport;
    this.#clock = clock;
    this.#csrf = new RandomValueCookie({ name: 'otpkit-csrf', httpOnly: false, sameSite: 'strict', secure: () => transport.secure });
  }

  /** `'body'`, `'cookie'` or `'both'`. */
  get mode(): ResolvedTokenTransport['mode'] {
    return this.#transport.mode;
  }

  /**
   * Sends `tokens` (with `extra` fields, for a sign-in): the JSON (without the refresh token in
   * cookie mode) and, in the cookie modes, the cookies and `csrfToken`.
   */
  send(req: Request, res: Response, tokens: TokenPair, csrf: CsrfRenewal, extra: Readonly<Record<string, unknown>> = {}): void {
    const { accessToken, refreshToken, sessionId, accessTokenExpiresAt, refreshTokenExpiresAt } = tokens;
    const csrfToken = this.setCookies(req, res, tokens, csrf);
    res.json({
      tokenType: 'Bearer',
      accessToken,
      ...(this.mode === 'cookie' ? {} : { refreshToken }),
      sessionId,
      accessTokenExpiresAt,
      refreshTokenExpiresAt,
      ...(csrfToken === null ? {} : { csrfToken }),
      ...extra,
    });
  }

  /** In the cookie modes, sets the refresh cookie and the CSRF cookie for `tokens` and returns the CSRF value; `null` in `'body'` mode. */
  setCookies(req: Request, res: Response, tokens: TokenPair, csrf: CsrfRenewal): string | null {
    if (this.mode === 'body') return null;
    const maxAge = Math.max(0, tokens.refreshTokenExpiresAt - this.#clock());
    res.cookie(this.#refreshName(), tokens.refreshToken, { ...this.#refreshAttributes(req), maxAge, encode: String });
    const kept = csrf === 'keep' ? this.#csrf.current(req) : undefined;
    return this.#csrf.set(req, res, { ...(kept === undefined ? {} : { value: kept }), maxAge });
  }

  /** The refresh token of the request's cookie (never in `'body'` mode), or `undefined`. */
  refreshCookie(req: Request): string | undefined {
    return this.mode === 'body' ? undefined : readCookie(req, this.#refreshName());
  }

  /** Whether `X-CSRF-Token` repeats the CSRF cookie (constant time). */
  csrfMatches(req: Request): boolean {
    return this.#csrf.matches(req, req.get(CSRF_HEADER));
  }

  /** Deletes both cookies (sign-out, or a refresh token that no longer works). */
  clear(req: Request, res: Response): void {
    res.clearCookie(this.#refreshName(), this.#refreshAttributes(req));
    this.#csrf.clear(req, res);
  }

  #refreshName(): string {
    return this.#transport.secure ? '__Secure-otpkit-refresh' : 'otpkit-refresh';
  }

  #refreshAttributes(req: Request) {
    const path = this.#transport.path ?? `${req.baseUrl}/tokens`;
    return { httpOnly: true, sameSite: 'strict', secure: this.#transport.secure, path } as const;
  }
}

import type { Request, RequestHandler, Response } from 'express';
import { checkOptionKeys, ConfigurationError, isTokenSessions, Messages, type AccessTokenClaims, type TokenSessionsLike, type Translate } from '@otpkit/core';
import { bearerChallenge, readBearer } from './internal/bearer-token.js';
import { isStorageFailure, sendError } from './http-errors.js';
import { requestText } from './internal/request-text.js';

/** Options of {@link tokenRequired}. */
export interface TokenRequiredOptions {
  /** The assurance level the route needs: 2 refuses a token of a one-factor sign-in (step-up). @default 1 */
  readonly aal?: 1 | 2;
  /**
   * Seconds since the sign-in (the session's start, which a refresh does not move) after which the
   * route asks for a new sign-in (step-up). Reads the session, so a revoked session's token is
   * refused too. @default undefined (no limit)
   */
  readonly maxAge?: number;
  /** Also refuse the token of a revoked session before its `exp` (reads the session on every request). @default false */
  readonly checkRevoked?: boolean;
}

const OPTION_KEYS: readonly (keyof TokenRequiredOptions)[] = ['aal', 'maxAge', 'checkRevoked'];

/**
 * What `error_description` says for each refusal of an access token: RFC 6750 makes it ASCII text
 * for the client's developer, so it stays English (the body's `message` is the user's, translated).
 */
const REFUSALS = {
  invalid: 'The access token is not valid',
  expired: 'The access token expired',
  revoked: 'The access token was revoked',
} as const;

function resolveOptions(sessions: unknown, options: unknown): Required<Omit<TokenRequiredOptions, 'maxAge'>> & { maxAge: number | null } {
  if (!isTokenSessions(sessions)) throw new ConfigurationError('tokenRequired: the first argument must be a TokenSessions from @otpkit/tokens (createTokenSessions(otp, options))');
  if (options === null || typeof options !== 'object') throw new ConfigurationError('tokenRequired: options must be an object such as { aal: 2 }');
  checkOptionKeys('tokenRequired', options, OPTION_KEYS);
  const { aal = 1, maxAge, checkRevoked = false } = options as TokenRequiredOptions;
  if (aal !== 1 && aal !== 2) throw new ConfigurationError('tokenRequired: aal must be 1 or 2');
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isSafeInteger(maxAge) || maxAge <= 0)) {
    throw new ConfigurationError('tokenRequired: maxAge must be a positive whole number of seconds');
  }
  if (typeof checkRevoked !== 'boolean') throw new ConfigurationError('tokenRequired: checkRevoked must be true or false');
  return { aal, maxAge: maxAge ?? null, checkRevoked };
}

/** Answers 401 `token_invalid` with the RFC 6750 `invalid_token` challenge. */
function refuseToken(res: Response, t: Translate, reason: keyof typeof REFUSALS): void {
  res.set('WWW-Authenticate', bearerChallenge({ error: 'invalid_token', error_description: REFUSALS[reason] }));
  sendError(res, t, 'token_invalid', { reason });
}

/**
 * A guard for bearer access tokens (RFC 6750): verifies `Authorization: Bearer <jwt>` with
 * `sessions` and sets `req.token` to its claims. No token: 401 `token_required`; a malformed
 * header: 400 `invalid_request`; an invalid, expired or (with `checkRevoked`) revoked token: 401
 * `token_invalid`; a sign-in too weak (`aal`) or too old (`maxAge`): 401 `step_up_required` with
 * RFC 9470's `insufficient_user_authentication` challenge (`acr_values="aal2"`, `max_age`); the
 * database unreachable for `checkRevoked`: 503 `storage_unavailable` with `Retry-After`.
 * Every refusal carries a `WWW-Authenticate: Bearer` challenge. A token in the query string or the
 * body is never read. Needs neither a session nor otpMiddleware: `maxAge` is measured with the
 * sessions' own clock from the token's `auth_time`, with no database read (a revoked session is
 * refused with `checkRevoked`). The body's `message` is in the request's locale (otpMiddleware's
 * when it ran first, else `Accept-Language`), from the sessions' otp instance's catalog.
 * @throws ConfigurationError for bad arguments (at start-up).
 */
export function tokenRequired(sessions: TokenSessionsLike, options: TokenRequiredOptions = {}): RequestHandler {
  const { aal, maxAge, checkRevoked } = resolveOptions(sessions, options);
  const requirements = { ...(aal === 2 ? { acr_values: 'aal2' } : {}), ...(maxAge === null ? {} : { max_age: maxAge }) };
  /** Whether the sign-in is strong and recent enough: `maxAge` counts from `auth_time`, the sign-in, which refreshes keep. */
  const meetsRequirements = (claims: AccessTokenClaims): boolean =>
    claims.aal >= aal && (maxAge === null || sessions.clock() - claims.auth_time * 1000 <= maxAge * 1000);
  const messages = sessions.messages ?? new Messages();
  return async (req, res, next) => {
    const { t } = requestText(req, messages);
    try {
      const bearer = readBearer(req);
      if (bearer.kind === 'missing') {
        res.set('WWW-Authenticate', bearerChallenge());
        return sendError(res, t, 'token_required');
      }
      if (bearer.kind === 'malformed') {
        res.set('WWW-Authenticate', bearerChallenge({ error: 'invalid_request', error_description: 'Send one token: Authorization: Bearer <token>' }));
        return sendError(res, t, 'invalid_request');
      }
      const checked = await sessions.verifyAccessToken(bearer.token, { checkRevoked });
      if (!checked.ok) return refuseToken(res, t, checked.reason);
      if (!meetsRequirements(checked.claims)) {
        const description = aal === 2 && checked.claims.aal < 2 ? 'Sign in with a second factor' : 'Sign in again: the sign-in is too old for this';
        res.set('WWW-Authenticate', bearerChallenge({ error: 'insufficient_user_authentication', error_description: description, ...requirements }));
        return sendError(res, t, 'step_up_required', { aal, ...(maxAge === null ? {} : { maxAge }) });
      }
      req.token = checked.claims;
      next();
    } catch (error) {
      // The revocation check could not read the session: refused, as the rest of otpkit refuses it.
      if (isStorageFailure(error)) return sendError(res, t, 'storage_unavailable');
      next(error);
    }
  };
}

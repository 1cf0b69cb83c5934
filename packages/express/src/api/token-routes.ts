import type { Request, RequestHandler, Response, Router } from 'express';
import { contextOf } from '../internal/context.js';
import { requestInfo } from '../internal/request-info.js';
import type { TokenCarrier } from '../internal/token-carrier.js';
import { tokenRequired } from '../token-required.js';
import { ValidationError, type AccessTokenClaims, type Otp, type TokenSession, type TokenSessionsLike } from '@otpkit/core';
import { eventMeta } from '../internal/event-meta.js';
import { ApiError } from './api-error.js';
import { parseBody, verifiedDevice } from './api-request.js';
import { cookieRefreshBody, eitherRefreshBody, refreshBody, stepUpBody } from './schemas.js';

/** The claims `tokenRequired` verified. */
function claimsOf(req: Request): AccessTokenClaims {
  return req.token!;
}

/** A session as the API lists it: what a "where you are signed in" page shows, never a token. */
function summarizeSession(session: TokenSession, current: string) {
  const { id, createdAt, lastUsedAt, expiresAt, userAgent, ip, amr, aal, deviceId } = session;
  return { id, createdAt, lastUsedAt, expiresAt, userAgent, ip, amr, aal, device: deviceId, current: id === current };
}

/** Where a refresh request's token came from: its JSON body, or the refresh cookie (which needs the CSRF token). */
type Presented = { readonly token: string; readonly from: 'body' | 'cookie' };

/**
 * The refresh token a request presents, as the transport takes it: the body's in `'body'` mode,
 * the cookie's in `'cookie'` mode (a token in the body is refused, so the mistake shows), the
 * body's if given else the cookie's in `'both'` mode. A cookie counts only with `X-CSRF-Token`.
 * @throws ApiError `token_invalid` (no cookie), `csrf_invalid`; ValidationError for a bad body.
 */
function presentedRefreshToken(req: Request, carrier: TokenCarrier): Presented {
  if (carrier.mode === 'body') return { token: parseBody(refreshBody, req).refreshToken, from: 'body' };
  const { refreshToken } = parseBody(carrier.mode === 'cookie' ? cookieRefreshBody : eitherRefreshBody, req);
  if (refreshToken !== undefined) return { token: refreshToken, from: 'body' };
  const cookie = carrier.refreshCookie(req);
  if (cookie === undefined) throw new ApiError('token_invalid', { details: { reason: 'invalid' } });
  if (!carrier.csrfMatches(req)) throw new ApiError('csrf_invalid');
  return { token: cookie, from: 'cookie' };
}

/**
 * `POST /tokens/refresh` (a refresh token for the next pair), and, authenticated by the bearer
 * access token alone (no cookie, so no CSRF), `POST /tokens/step-up`, `POST /tokens/logout`, `POST /tokens/logout-others`,
 * `GET /tokens/sessions` and `DELETE /tokens/sessions/:id`. A revoked session's access token is
 * refused at once. A refused refresh is 401 `token_invalid` with `reason` `expired`, `revoked` or
 * `invalid`; a rotated-away token (which revokes its session) answers `invalid` like a forged one,
 * and is reported only in the log. In the cookie modes the refresh token travels in its cookie:
 * the refresh and the sign-out take it with `X-CSRF-Token` (403 `csrf_invalid` without), and a
 * sign-out or a refused refresh deletes the cookies.
 */
export function tokenRoutes(router: Router, otp: Otp, sessions: TokenSessionsLike, carrier: TokenCarrier): void {
  const bearer = tokenRequired(sessions, { checkRevoked: true });

  /**
   * Step-up: the bearer's session proves a second factor and is replaced by a new two-factor
   * session (`aal` 2, `otp` added to `amr`, `auth_time` now); the old one ends. The device the
   * session signed in with cannot be that second factor.
   */
  router.post('/tokens/step-up', bearer, async (req, res) => {
    const { sub, sid, amr } = claimsOf(req);
    const { token, device: named } = parseBody(stepUpBody, req);
    const signedInWith = (await sessions.listSessions(sub)).find((session) => session.id === sid)?.deviceId ?? null;
    const refuseSameDevice = (persistentId: string) => {
      if (persistentId === signedInWith) throw new ValidationError('The device this session signed in with cannot also be its second factor: use another device', { field: 'device' });
    };
    if (named !== undefined) refuseSameDevice(named);
    const meta = eventMeta(req);
    const device = verifiedDevice(otp, named === undefined ? await otp.match(sub, token, meta) : await otp.verify(sub, named, token, meta));
    refuseSameDevice(device.persistentId);
    const pair = await sessions.issue(sub, { amr: [...new Set([...amr, 'otp'])].slice(-8), aal: 2, deviceId: device.persistentId, ...requestInfo(req) });
    await sessions.logout(sid);
    carrier.send(req, res, pair, 'fresh');
  });

  router.post('/tokens/refresh', async (req, res) => {
    const presented = presentedRefreshToken(req, carrier);
    const outcome = await sessions.refresh(presented.token, requestInfo(req));
    if (!outcome.ok) {
      if (outcome.reason === 'reused') contextOf(req).logger.warn(`token sessions: a refresh token already used was presented again (from ${requestInfo(req).ip ?? 'an unknown address'}); its session is revoked`);
      // A superseded token lost a race to a refresh whose new cookie must stay.
      if (presented.from === 'cookie' && outcome.reason !== 'superseded') carrier.clear(req, res);
      throw new ApiError('token_invalid', { details: { reason: outcome.reason === 'reused' || outcome.reason === 'superseded' ? 'invalid' : outcome.reason } });
    }
    carrier.send(req, res, outcome, 'keep');
  });

  /** A browser's sign-out with the refresh cookie (and the CSRF token); without the cookie, the bearer's. */
  const cookieLogout: RequestHandler = async (req: Request, res: Response, next) => {
    const cookie = carrier.refreshCookie(req);
    if (cookie === undefined) return next();
    if (!carrier.csrfMatches(req)) throw new ApiError('csrf_invalid');
    await sessions.logoutWithRefreshToken(cookie);
    carrier.clear(req, res);
    res.status(204).end();
  };

  router.post('/tokens/logout', cookieLogout, bearer, async (req, res) => {
    await sessions.logout(claimsOf(req).sid);
    res.status(204).end();
  });

  router.post('/tokens/logout-others', bearer, async (req, res) => {
    const { sub, sid } = claimsOf(req);
    res.json({ revoked: await sessions.logoutOthers(sub, sid, eventMeta(req)) });
  });

  router.get('/tokens/sessions', bearer, async (req, res) => {
    const { sub, sid } = claimsOf(req);
    const listed = await sessions.listSessions(sub);
    res.json({ sessions: listed.map((session) => summarizeSession(session, sid)) });
  });

  router.delete('/tokens/sessions/:id', bearer, async (req, res) => {
    if (!(await sessions.revokeSession(claimsOf(req).sub, String(req.params.id), eventMeta(req)))) throw new ApiError('not_found');
    res.status(204).end();
  });
}

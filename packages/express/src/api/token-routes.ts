import type { Request, Router } from 'express';
import { contextOf } from '../internal/context.js';
import { requestInfo } from '../internal/request-info.js';
import { tokenRequired } from '../token-required.js';
import type { AccessTokenClaims, TokenSession, TokenSessionsLike } from '@otpkit/core';
import { ApiError } from './api-error.js';
import { parseBody } from './api-request.js';
import { refreshBody } from './schemas.js';

/** The claims `tokenRequired` verified. */
function claimsOf(req: Request): AccessTokenClaims {
  return req.token!;
}

/** A session as the API lists it: what a "where you are signed in" page shows, never a token. */
function summarizeSession(session: TokenSession, current: string) {
  const { id, createdAt, lastUsedAt, expiresAt, userAgent, ip, amr, aal, deviceId } = session;
  return { id, createdAt, lastUsedAt, expiresAt, userAgent, ip, amr, aal, device: deviceId, current: id === current };
}

/**
 * `POST /tokens/refresh` (a refresh token for the next pair), and, authenticated by the bearer
 * access token alone (no cookie, so no CSRF), `POST /tokens/logout`, `POST /tokens/logout-others`,
 * `GET /tokens/sessions` and `DELETE /tokens/sessions/:id`. A revoked session's access token is
 * refused at once. A refused refresh is 401 `token_invalid` with `reason` `expired`, `revoked` or
 * `invalid`; a rotated-away token (which revokes its session) answers `invalid` like a forged one,
 * and is reported only in the log.
 */
export function tokenRoutes(router: Router, sessions: TokenSessionsLike): void {
  const bearer = tokenRequired(sessions, { checkRevoked: true });

  router.post('/tokens/refresh', async (req, res) => {
    const { refreshToken } = parseBody(refreshBody, req);
    const outcome = await sessions.refresh(refreshToken, requestInfo(req));
    if (!outcome.ok) {
      if (outcome.reason === 'reused') contextOf(req).logger.warn(`token sessions: a refresh token already used was presented again (from ${requestInfo(req).ip ?? 'an unknown address'}); its session is revoked`);
      throw new ApiError('token_invalid', { details: { reason: outcome.reason === 'reused' || outcome.reason === 'superseded' ? 'invalid' : outcome.reason } });
    }
    const { accessToken, refreshToken: next, sessionId, accessTokenExpiresAt, refreshTokenExpiresAt } = outcome;
    res.json({ tokenType: 'Bearer', accessToken, refreshToken: next, sessionId, accessTokenExpiresAt, refreshTokenExpiresAt });
  });

  router.post('/tokens/logout', bearer, async (req, res) => {
    await sessions.logout(claimsOf(req).sid);
    res.status(204).end();
  });

  router.post('/tokens/logout-others', bearer, async (req, res) => {
    const { sub, sid } = claimsOf(req);
    res.json({ revoked: await sessions.logoutOthers(sub, sid) });
  });

  router.get('/tokens/sessions', bearer, async (req, res) => {
    const { sub, sid } = claimsOf(req);
    const listed = await sessions.listSessions(sub);
    res.json({ sessions: listed.map((session) => summarizeSession(session, sid)) });
  });

  router.delete('/tokens/sessions/:id', bearer, async (req, res) => {
    if (!(await sessions.revokeSession(claimsOf(req).sub, String(req.params.id)))) throw new ApiError('not_found');
    res.status(204).end();
  });
}
